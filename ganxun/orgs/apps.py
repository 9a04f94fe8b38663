from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "ganxun.orgs"
    label = "orgs"
    verbose_name = "组织与干部"

    def ready(self):
        # Job handlers register themselves on import; the task worker needs them at start-up.
        from ganxun.orgs import pickers  # noqa: F401
        from ganxun.orgs.roster import jobs  # noqa: F401
