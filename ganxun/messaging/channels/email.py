"""E-mail over SMTP (an intranet relay, a government mail system).

Settings (``GANXUN_CHANNELS["email"]``): ``host``, ``port`` (25), ``username``, ``password``,
``use_tls`` (STARTTLS), ``use_ssl``, ``from`` (the sender address), ``timeout`` (seconds, 10),
``domain`` (for Message-IDs; default the sender's domain).

One connection per message, with a timeout, through Django's SMTP backend. The Message-ID is
made from the delivery's idempotency key, so a copy sent again after a crash carries the same
id and mail clients and archives can tell it is the same message. How SMTP answers map:
the connection refused, dropped or timing out, or a 4xx reply → ``Retry``; a malformed address
(checked before connecting) or a 5xx reply to the recipient or the data → ``Refused`` with the
server's reason."""

import smtplib

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.messaging.channels.base import Channel, Message, Refused, Retry, Sent

BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _reason(code: int, text: bytes | str) -> str:
    said = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {said}".strip()


class EmailChannel(Channel):
    code = "email"
    label = gettext_lazy("电子邮件")

    @property
    def sender(self) -> str:
        return self.settings.get("from") or self.settings.get("username") or "ganxun@localhost"

    def check_address(self, address: str) -> str:
        address = address.strip()
        try:
            validate_email(address)
        except ValidationError:
            raise Refused(_("电子邮件地址格式不正确：%(address)s") % {"address": address}) from None
        return address

    def message_id(self, key: str) -> str:
        domain = self.settings.get("domain") or self.sender.rpartition("@")[2] or "localhost"
        return f"<{key}@{domain}>"

    def send(self, message: Message, address: str) -> Sent:
        body = message.body
        if message.url:
            body = f"{body}\n\n{message.url}" if body else message.url
        connection = get_connection(
            BACKEND,
            host=self.settings.get("host", "localhost"),
            port=int(self.settings.get("port", 25)),
            username=self.settings.get("username") or None,
            password=self.settings.get("password") or None,
            use_tls=bool(self.settings.get("use_tls", False)),
            use_ssl=bool(self.settings.get("use_ssl", False)),
            timeout=float(self.settings.get("timeout", 10)),
            fail_silently=False,
        )
        mail = EmailMessage(
            subject=message.title,
            body=body,
            from_email=self.sender,
            to=[address],
            headers={"Message-ID": self.message_id(message.idempotency_key)},
            connection=connection,
        )
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (550, b""))
            self._raise(code, text)
        except smtplib.SMTPResponseException as exc:  # sender or data refused, 421 closing
            self._raise(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPException, OSError) as exc:  # refused, dropped, timed out
            raise Retry(_("邮件服务器暂时无法连接：%(error)s") % {"error": exc}) from exc
        return Sent(provider_id=self.message_id(message.idempotency_key))

    def _raise(self, code: int, text) -> None:
        reason = _reason(code, text)
        if 400 <= code < 500:
            raise Retry(_("邮件服务器暂时拒收：%(reason)s") % {"reason": reason})
        raise Refused(_("邮件服务器拒收：%(reason)s") % {"reason": reason})
