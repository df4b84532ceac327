from django.urls import path

from wuwei.dataio import views

app_name = "dataio"
urlpatterns = [
    path("", views.data_home, name="home"),
    path("import/", views.import_upload, name="upload"),
    path("import/<int:run_id>/", views.import_detail, name="import"),
    path("import/<int:run_id>/columns/", views.import_columns, name="import_columns"),
    path("import/<int:run_id>/apply/", views.import_apply, name="import_apply"),
    path("import/<int:run_id>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:run_id>/rejects.csv", views.import_rejects, name="import_rejects"),
    path("template/<str:kind>.<str:fmt>", views.template_download, name="template"),
    path("export/", views.export_start, name="export_start"),
]
