from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "ganxun.orgs"
    label = "orgs"
    verbose_name = "组织与干部"
