from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "ganxun.credits"
    label = "credits"
    verbose_name = "学时学分"

    def ready(self):
        # the attendance receiver and the job handlers register themselves on import
        from ganxun.core import hours
        from ganxun.credits import importing, jobs, receivers  # noqa: F401
        from ganxun.credits.ledger import credit_settings, hours_rule

        # the minutes of one 学时 live in the crediting rules row; core.hours reads them here
        hours.register_rule_provider(lambda: hours_rule(credit_settings()))
