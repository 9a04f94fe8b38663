from django.urls import path

from ganxun.messaging import views_prefs as views

app_name = "messaging_prefs"

urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:code>/", views.template_edit, name="template_edit"),
    path("templates/<slug:code>/preview/", views.template_preview, name="template_preview"),
    path("templates/<slug:code>/reset/", views.template_reset, name="template_reset"),
    path("channels/", views.channel_policy, name="channels"),
    path("mine/", views.my_channels, name="mine"),
]
