from django.urls import path

from wuwei.playbook import views
from wuwei.playbook.buying import views as buying_views

app_name = "playbook"
urlpatterns = [
    path("opportunities/<int:opportunity_id>/risks/", views.deal_tab, name="deal_tab"),
    path("opportunities/<int:opportunity_id>/lesson/", views.lesson_save, name="lesson_save"),
    path("risks/", views.risks, name="risks"),
    path("playbook/rules/", views.rule_list, name="rules"),
    path("playbook/rules/new/", views.rule_create, name="rule_create"),
    path("playbook/rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("playbook/lessons/", views.lessons, name="lessons"),
    # The customer's buying process (§7.1): templates and the deal tab.
    path("playbook/buying-processes/", buying_views.template_list, name="templates"),
    path("playbook/buying-processes/new/", buying_views.template_create, name="template_create"),
    path(
        "playbook/buying-processes/<int:template_id>/",
        buying_views.template_detail,
        name="template",
    ),
    path(
        "playbook/buying-processes/<int:template_id>/edit/",
        buying_views.template_edit,
        name="template_edit",
    ),
    path(
        "playbook/buying-processes/<int:template_id>/archive/",
        buying_views.template_archive,
        name="template_archive",
    ),
    path(
        "playbook/buying-processes/<int:template_id>/steps/", buying_views.step_add, name="step_add"
    ),
    path(
        "playbook/buying-processes/<int:template_id>/steps/<int:step_id>/",
        buying_views.step_edit,
        name="step_edit",
    ),
    path(
        "playbook/buying-processes/<int:template_id>/steps/<int:step_id>/roles/",
        buying_views.role_add,
        name="role_add",
    ),
    path(
        "playbook/buying-processes/<int:template_id>/steps/<int:step_id>/roles/<int:role_id>/",
        buying_views.role_edit,
        name="role_edit",
    ),
    path("playbook/deals/<int:opportunity_id>/buying/", buying_views.buying_tab, name="buying_tab"),
    path(
        "playbook/deals/<int:opportunity_id>/buying/template/",
        buying_views.buying_choose,
        name="buying_choose",
    ),
    path(
        "playbook/deals/<int:opportunity_id>/buying/map/",
        buying_views.buying_map,
        name="buying_map",
    ),
    path(
        "playbook/deals/<int:opportunity_id>/buying/map/<int:mapping_id>/remove/",
        buying_views.buying_unmap,
        name="buying_unmap",
    ),
]
