from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "ganxun.enrollment"
    label = "enrollment"
    verbose_name = "选课报名"
