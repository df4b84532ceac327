from django.urls import path

from wuwei.support import views

app_name = "support"
urlpatterns = [
    path("", views.board, name="board"),
    path("performance/", views.performance, name="performance"),
    path("scores/", views.scores, name="scores"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/assign/", views.request_assign, name="assign"),
    path("requests/<int:request_id>/decide/", views.request_decide, name="decide"),
    path("deals/<int:opportunity_id>/", views.deal, name="deal"),
    path("deals/<int:opportunity_id>/request/", views.deal_request, name="deal_request"),
    path("deals/<int:opportunity_id>/stage-owner/", views.deal_stage_owner, name="stage_owner"),
    path("deals/<int:opportunity_id>/scores/", views.deal_scores, name="deal_scores"),
]
