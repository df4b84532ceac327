from django.urls import path

from wuwei.people import views

app_name = "people"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_create, name="create"),
    path("<int:contact_id>/", views.contact_detail, name="detail"),
    path("<int:contact_id>/edit/", views.contact_edit, name="edit"),
    path("<int:contact_id>/archive/", views.contact_archive, name="archive"),
    path("<int:contact_id>/restore/", views.contact_restore, name="restore"),
]
