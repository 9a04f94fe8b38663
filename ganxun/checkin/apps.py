from django.apps import AppConfig


class CheckinConfig(AppConfig):
    name = "ganxun.checkin"
    label = "checkin"
    verbose_name = "签到"
