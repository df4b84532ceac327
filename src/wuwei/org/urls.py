from django.urls import path

from wuwei.org import audit_views, views

app_name = "org"
urlpatterns = [
    path("handover/", views.handover, name="handover"),
    path("audit/", audit_views.audit_trail, name="audit"),
    path("audit/export.csv", audit_views.audit_export, name="audit_export"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
]
