from django.urls import path

from wuwei.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("actions/", views.my_actions, name="actions"),
    path("actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path("deals/<int:opportunity_id>/", views.deal_tab, name="deal_tab"),
    path("deals/<int:opportunity_id>/review/", views.review_form, name="review_form"),
    path("deals/<int:opportunity_id>/review/new/", views.review_create, name="review"),
]
