from django.urls import path

from wuwei.insights.scorecard import views

app_name = "scorecard"
urlpatterns = [
    path("", views.scorecard_page, name="page"),
    path("rows/", views.scorecard_rows, name="rows"),
    path("records/", views.scorecard_records, name="records"),
    path("export/", views.scorecard_export, name="export"),
    path("deals/<int:opportunity_id>/collections/", views.collections_tab, name="collections_tab"),
    path(
        "deals/<int:opportunity_id>/collections/contract/",
        views.collections_contract,
        name="collections_contract",
    ),
    path(
        "deals/<int:opportunity_id>/collections/payments/",
        views.collections_payment,
        name="collections_payment",
    ),
]
