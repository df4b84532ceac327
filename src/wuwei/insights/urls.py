from django.urls import path

from wuwei.insights import views

app_name = "insights"
urlpatterns = [
    path("segments/", views.segments, name="segments"),
]
