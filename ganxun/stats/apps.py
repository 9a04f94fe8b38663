from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "ganxun.stats"
    label = "stats"
    verbose_name = "统计报表"
