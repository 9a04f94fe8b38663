from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ganxun.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self):
        from ganxun.accounts import jobs, signals  # noqa: F401  (job handlers, login audit)
