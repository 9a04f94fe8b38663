from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "ganxun.credits"
    label = "credits"
    verbose_name = "学时学分"
