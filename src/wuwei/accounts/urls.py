from django.urls import path

from wuwei.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("options/", views.account_options, name="options"),
    path("<int:account_id>/", views.account_detail, name="detail"),
    path("<int:account_id>/edit/", views.account_edit, name="edit"),
    path("<int:account_id>/archive/", views.account_archive, name="archive"),
    path("<int:account_id>/restore/", views.account_restore, name="restore"),
]
