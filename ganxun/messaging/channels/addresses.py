"""Address checks shared by the channels: a mainland mobile number for SMS, a work-app user id
for 企业微信 / 钉钉 / 浙政钉. Each returns the address normalised or raises ``Refused`` with a
message the sender can act on."""

import re

from django.utils.translation import gettext as _

from ganxun.messaging.channels.base import Refused

_SEPARATORS = re.compile(r"[\s\-–—()（）.·]")
# mainland mobile numbers: 11 digits, 1 then 3–9 (13x … 19x, incl. 14x data and 16x/17x/19x)
_MOBILE = re.compile(r"1[3-9]\d{9}")
# 企业微信 userid: 1–64 of letters, digits and _-@. ; 钉钉 userid and 浙政钉 accountId fit too
_WORK_APP_ID = re.compile(r"[A-Za-z0-9_.@\-]{1,64}")


def mobile_number(raw: str) -> str:
    """``"+86 138-0013-8000"`` → ``"13800138000"``; a landline, a short or long number, or
    anything else than digits is refused."""
    number = _SEPARATORS.sub("", (raw or "").strip().replace("＋", "+"))
    if not number:
        raise Refused(_("没有手机号码"))
    for prefix in ("+86", "0086", "86"):
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            number = number[len(prefix) :]
            break
    if not number.isdigit():
        raise Refused(_("手机号码只能由数字组成：%(raw)s") % {"raw": raw})
    if number.startswith("0") or (len(number) in (7, 8) and number[0] != "1"):
        raise Refused(_("%(raw)s 是固定电话号码，不能接收短信，请填写手机号码") % {"raw": raw})
    if len(number) != 11:
        raise Refused(_("手机号码应为 11 位，%(raw)s 是 %(n)s 位") % {"raw": raw, "n": len(number)})
    if not _MOBILE.fullmatch(number):
        raise Refused(_("%(raw)s 不是大陆手机号码（应以 13–19 开头）") % {"raw": raw})
    return number


def work_app_user_id(raw: str, *, app: str) -> str:
    """A 企业微信 / 钉钉 / 浙政钉 user id as bound to the account: non-empty, at most 64
    letters, digits and ``_-@.``."""
    user_id = (raw or "").strip()
    if not user_id:
        raise Refused(_("未绑定%(app)s账号") % {"app": app})
    if not _WORK_APP_ID.fullmatch(user_id):
        raise Refused(
            _("%(app)s用户 ID 不合规：%(raw)s（应为 1–64 位字母、数字或 _-@.）")
            % {"app": app, "raw": raw[:80]}
        )
    return user_id
