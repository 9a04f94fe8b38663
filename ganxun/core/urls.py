from django.conf import settings
from django.urls import path
from django.views.generic import RedirectView

from ganxun.core import views_picker

app_name = "core"
urlpatterns = [
    path("pick/<slug:kind>/", views_picker.pick, name="pick"),
    # browsers ask for /favicon.ico whatever the page says
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}ganxun/favicon.svg", permanent=True),
    ),
]
