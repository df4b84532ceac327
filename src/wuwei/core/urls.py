from django.urls import path

from wuwei.core import views

app_name = "jobs"
urlpatterns = [
    path("<int:run_id>/", views.job_detail, name="detail"),
    path("<int:run_id>/progress/", views.job_progress, name="progress"),
    path("<int:run_id>/cancel/", views.job_cancel, name="cancel"),
    path("<int:run_id>/file/", views.job_file, name="file"),
]
