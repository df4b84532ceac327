from django.urls import path

from wuwei.insights import views

app_name = "insights"
urlpatterns = [
    path("segments/", views.segments, name="segments"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/export/", views.pipeline_export, name="pipeline_export"),
    path("pipeline/curves/", views.pipeline_curves_view, name="pipeline_curves"),
]
