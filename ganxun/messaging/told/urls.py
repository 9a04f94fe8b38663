from django.urls import path

from ganxun.messaging.told import views

app_name = "told"

urlpatterns = [
    path("told/<int:pk>/", views.message_told, name="message"),
    path("told/<int:pk>/resend/", views.message_resend, name="resend"),
    path("told/<int:pk>/export.xlsx", views.message_export, name="export"),
    path("mine/", views.my_history, name="mine"),
]
