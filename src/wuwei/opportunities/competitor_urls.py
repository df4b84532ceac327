from django.urls import path

from wuwei.opportunities import views

app_name = "competitors"
urlpatterns = [
    path("", views.competitor_list, name="list"),
    path("<int:competitor_id>/", views.competitor_detail, name="detail"),
]
