from django.urls import path

from wuwei.playbook import views

app_name = "playbook"
urlpatterns = [
    path("buying-processes/", views.template_list, name="templates"),
    path("buying-processes/new/", views.template_create, name="template_create"),
    path("buying-processes/<int:template_id>/", views.template_detail, name="template"),
    path("buying-processes/<int:template_id>/edit/", views.template_edit, name="template_edit"),
    path(
        "buying-processes/<int:template_id>/archive/",
        views.template_archive,
        name="template_archive",
    ),
    path("buying-processes/<int:template_id>/steps/", views.step_add, name="step_add"),
    path(
        "buying-processes/<int:template_id>/steps/<int:step_id>/",
        views.step_edit,
        name="step_edit",
    ),
    path(
        "buying-processes/<int:template_id>/steps/<int:step_id>/roles/",
        views.role_add,
        name="role_add",
    ),
    path(
        "buying-processes/<int:template_id>/steps/<int:step_id>/roles/<int:role_id>/",
        views.role_edit,
        name="role_edit",
    ),
    path("deals/<int:opportunity_id>/buying/", views.buying_tab, name="buying_tab"),
    path("deals/<int:opportunity_id>/buying/template/", views.buying_choose, name="buying_choose"),
    path("deals/<int:opportunity_id>/buying/map/", views.buying_map, name="buying_map"),
    path(
        "deals/<int:opportunity_id>/buying/map/<int:mapping_id>/remove/",
        views.buying_unmap,
        name="buying_unmap",
    ),
]
