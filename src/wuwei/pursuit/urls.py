"""Pages of the pursuit area, mounted in the `opportunities` namespace."""

from django.urls import path

from wuwei.pursuit import views

urlpatterns = [
    *views.LIBRARY_PAGES.urls("competitive-tactics/"),
    path("<int:opportunity_id>/strategy/", views.strategy_tab, name="strategy_tab"),
    path("<int:opportunity_id>/strategy/save/", views.strategy_save, name="strategy_save"),
    path("<int:opportunity_id>/strategy/adopt/", views.tactics_adopt, name="tactics_adopt"),
    path(
        "<int:opportunity_id>/strategy/tactics/<int:tactic_id>/",
        views.tactic_update,
        name="tactic_update",
    ),
    path(
        "<int:opportunity_id>/strategy/tactics/<int:tactic_id>/activity/",
        views.tactic_activity,
        name="tactic_activity",
    ),
    path(
        "<int:opportunity_id>/strategy/tactics/<int:tactic_id>/remove/",
        views.tactic_remove,
        name="tactic_remove",
    ),
    path("<int:opportunity_id>/value/", views.value_tab, name="value_tab"),
    path("<int:opportunity_id>/value/save/", views.value_save, name="value_save"),
]
