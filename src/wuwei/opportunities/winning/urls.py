"""Deal-page tabs of the winning engine, mounted under /opportunities/ (namespace winning)."""

from django.urls import path

from wuwei.opportunities.winning import views

app_name = "winning"
urlpatterns = [
    path("<int:opportunity_id>/winrate/", views.winrate_tab, name="winrate_tab"),
    path(
        "<int:opportunity_id>/winrate/questionnaire/",
        views.questionnaire_submit,
        name="questionnaire_submit",
    ),
    path(
        "<int:opportunity_id>/winrate/questionnaire/<int:questionnaire_id>/adjust/",
        views.questionnaire_adjust,
        name="questionnaire_adjust",
    ),
    path("<int:opportunity_id>/events/", views.events_tab, name="events_tab"),
    path("<int:opportunity_id>/events/new/", views.event_create, name="event_create"),
    path("<int:opportunity_id>/events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path(
        "<int:opportunity_id>/events/<int:event_id>/confirm/",
        views.event_confirm,
        name="event_confirm",
    ),
    path(
        "<int:opportunity_id>/events/<int:event_id>/archive/",
        views.event_archive,
        name="event_archive",
    ),
]
