from django.urls import path

from wuwei.org import views

app_name = "org"
urlpatterns = [
    path("handover/", views.handover, name="handover"),
]
