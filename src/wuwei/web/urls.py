from django.contrib.auth import views as auth_views
from django.urls import path

from wuwei.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("home/forecast/<slug:part>/", views.home_forecast, name="home_forecast"),
    path("home/<slug:panel>/", views.home_panel, name="home_panel"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("playbook/", views.playbook, name="playbook"),
    path("playbook/edit/", views.playbook_edit, name="playbook_edit"),
    path("help/glossary/", views.glossary, name="glossary"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("colleagues/<int:user_id>/", views.colleague, name="colleague"),
]
