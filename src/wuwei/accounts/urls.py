from django.urls import path

from wuwei.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("picker/", views.account_picker, name="picker"),
    path("ninebox/", views.ninebox, name="ninebox"),
    path("conflicts/", views.conflict_list, name="conflicts"),
    path("conflicts/<int:conflict_id>/", views.conflict_detail, name="conflict"),
    *views.TACTIC_PAGES.urls("tactics/"),
    path("<int:account_id>/", views.account_detail, name="detail"),
    path("<int:account_id>/tab/<slug:tab>/", views.account_detail, name="tab"),
    path("<int:account_id>/edit/", views.account_edit, name="edit"),
    path("<int:account_id>/archive/", views.account_archive, name="archive"),
    path("<int:account_id>/restore/", views.account_restore, name="restore"),
    path("<int:account_id>/grading/", views.grading_save, name="grade"),
    path("<int:account_id>/ka-profile/", views.ka_profile_save, name="ka_profile"),
    path("<int:account_id>/strategy/", views.strategy_save, name="strategy"),
    path("<int:account_id>/monitoring/", views.monitoring_add, name="monitoring"),
    path("<int:account_id>/evaluations/", views.evaluation_add, name="evaluation"),
    path("<int:account_id>/plans/", views.plan_save, name="plan"),
    path("<int:account_id>/plans/<int:plan_id>/actions/", views.action_add, name="action_add"),
    path(
        "<int:account_id>/plans/<int:plan_id>/actions/<int:action_id>/",
        views.action_status,
        name="action_status",
    ),
    path("<int:account_id>/plans/<int:plan_id>/tactics/", views.tactics_adopt, name="adopt"),
    path("<int:account_id>/visits/", views.visit_add, name="visit_add"),
    path(
        "<int:account_id>/visits/<int:visit_id>/outcome/", views.visit_outcome, name="visit_outcome"
    ),
]
