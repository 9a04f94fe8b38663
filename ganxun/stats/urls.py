from django.urls import path

from ganxun.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("annual/", views.annual, name="annual"),
    path("compliance/", views.compliance, name="compliance"),
]
