"""Local HTTP servers that speak the delivery channels' APIs (their documented request and
answer shapes), on 127.0.0.1 and a random port, for the channel tests and the outbox's.

Each fake checks what it receives the way the real service would (the signature, the token,
the required fields), records every request in ``seen`` and every message it would hand on in
``delivered``, and can be switched to fail:

    api.fail("status", status=500)        # answer HTTP 500 (times=None: until api.heal())
    api.fail("sleep", seconds=1.0)        # answer after a pause (past the client's timeout)
    api.fail("nonjson")                   # answer HTTP 200 with an HTML page
    api.fail("error", code="…")           # the provider's own error answer with that code
    api.fail("status", status=503, times=1)   # only the next request

Use ``with serve(FakeWecom()) as api:`` or the fixtures at the end (``wecom_api`` …);
``api.url`` is the base URL to configure. The signatures are recomputed independently of the
channels' code, from the providers' descriptions. The server is in ``httpfake.py``, the fakes
in ``fake_sms.py`` (generic gateway, Aliyun) and ``fake_workapps.py`` (企业微信, 钉钉, 浙政钉).
"""

from collections.abc import Iterator

import pytest

from tests.messaging.fake_sms import FakeAliyunSms, FakeSmsGateway, aliyun_expected_signature
from tests.messaging.fake_workapps import FakeDingtalk, FakeWecom, FakeZzd, zzd_expected_signature
from tests.messaging.httpfake import FakeApi, Seen, closed_port_url, serve

__all__ = [
    "FakeAliyunSms",
    "FakeApi",
    "FakeDingtalk",
    "FakeSmsGateway",
    "FakeWecom",
    "FakeZzd",
    "Seen",
    "aliyun_expected_signature",
    "closed_port_url",
    "serve",
    "zzd_expected_signature",
]

# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def sms_gateway() -> Iterator[FakeSmsGateway]:
    with serve(FakeSmsGateway()) as api:
        yield api  # type: ignore[misc]


@pytest.fixture
def aliyun_api() -> Iterator[FakeAliyunSms]:
    with serve(FakeAliyunSms()) as api:
        yield api  # type: ignore[misc]


@pytest.fixture
def wecom_api() -> Iterator[FakeWecom]:
    with serve(FakeWecom()) as api:
        yield api  # type: ignore[misc]


@pytest.fixture
def dingtalk_api() -> Iterator[FakeDingtalk]:
    with serve(FakeDingtalk()) as api:
        yield api  # type: ignore[misc]


@pytest.fixture
def zzd_api() -> Iterator[FakeZzd]:
    with serve(FakeZzd()) as api:
        yield api  # type: ignore[misc]
