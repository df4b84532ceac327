from django.urls import path

from wuwei.playbook import views

app_name = "playbook"
urlpatterns = [
    path("opportunities/<int:opportunity_id>/risks/", views.deal_tab, name="deal_tab"),
    path("opportunities/<int:opportunity_id>/lesson/", views.lesson_save, name="lesson_save"),
    path("risks/", views.risks, name="risks"),
    path("playbook/rules/", views.rule_list, name="rules"),
    path("playbook/rules/new/", views.rule_create, name="rule_create"),
    path("playbook/rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("playbook/lessons/", views.lessons, name="lessons"),
]
