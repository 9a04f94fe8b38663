from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """The outbox: every notice written once, in the transaction of the event that caused it,
    then delivered by the worker to each recipient's channels (in-app, SMS, e-mail, 企业微信,
    钉钉, 浙政钉) with retries, an idempotency key and a per-channel rate."""

    name = "ganxun.messaging"
    label = "messaging"
    verbose_name = "消息发送"

    def ready(self) -> None:
        from ganxun.messaging import delivery  # noqa: F401  registers the delivery loops
