from django.urls import path

from wuwei.opportunities import views

app_name = "opportunities"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("board/", views.opportunity_board, name="board"),
    path("new/", views.opportunity_create, name="create"),
    path("process/", views.process, name="process"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/new/", views.registration_create, name="registration_create"),
    path(
        "registrations/<int:registration_id>/",
        views.registration_detail,
        name="registration",
    ),
    path("<int:opportunity_id>/", views.opportunity_detail, name="detail"),
    path("<int:opportunity_id>/edit/", views.opportunity_edit, name="edit"),
    path("<int:opportunity_id>/move/", views.opportunity_move, name="move"),
    path("<int:opportunity_id>/archive/", views.opportunity_archive, name="archive"),
    path("<int:opportunity_id>/members/", views.member_add, name="member_add"),
    path(
        "<int:opportunity_id>/members/<int:user_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("<int:opportunity_id>/competitors/", views.competitor_add, name="competitor_add"),
    path(
        "<int:opportunity_id>/competitors/<int:competitor_id>/remove/",
        views.competitor_remove,
        name="competitor_remove",
    ),
]
