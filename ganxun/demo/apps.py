from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city (`ganxun demo`): built through every app's services, so it sits on top.

    Nothing imports it (pyproject [tool.importlinter])."""

    name = "ganxun.demo"
    label = "demo"
    verbose_name = "演示数据"
