from django.urls import path

from wuwei.insights.forecast import views

app_name = "forecast"
urlpatterns = [
    path("", views.forecast, name="forecast"),
    path("export/", views.forecast_export, name="export"),
    path("adjust/", views.forecast_adjust, name="adjust"),
    path("rows/", views.forecast_rows, name="rows"),
]
