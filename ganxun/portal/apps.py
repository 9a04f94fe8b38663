from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: navigation, home dashboards, the inbox, the audit and job pages.

    It may import every feature app and nothing imports it (pyproject [tool.importlinter])."""

    name = "ganxun.portal"
    label = "portal"
    verbose_name = "门户"
