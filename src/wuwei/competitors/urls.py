from django.urls import path

from wuwei.competitors import views

app_name = "competitors"
urlpatterns = [
    path("", views.competitor_list, name="list"),
    path("<int:competitor_id>/", views.competitor_detail, name="detail"),
]

# The analysis library, key events and prices: add, edit, archive.
for _section, _id in (
    ("insights", "insight_id"),
    ("events", "competitor_event_id"),
    ("prices", "price_id"),
):
    urlpatterns += [
        path(
            f"<int:competitor_id>/{_section}/add/",
            views.intel_add,
            {"section": _section},
            name=f"{_section}_add",
        ),
        path(
            f"<int:competitor_id>/{_section}/<int:{_id}>/",
            views.intel_edit,
            {"section": _section},
            name=f"{_section}_edit",
        ),
        path(
            f"<int:competitor_id>/{_section}/<int:{_id}>/archive/",
            views.intel_archive,
            {"section": _section},
            name=f"{_section}_archive",
        ),
    ]
