from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "ganxun.surveys"
    label = "surveys"
    verbose_name = "问卷"
