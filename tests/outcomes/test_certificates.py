"""The public certificate check: a valid code shows the masked name, program, dates and
issuer without login; a revoked one says so; an unknown one answers 404 "证书不存在"."""

import pytest

from ganxun.core.models import AuditEntry
from ganxun.outcomes.errors import OutcomeError
from ganxun.outcomes.models.graduation import mask_name
from ganxun.outcomes.services import certificate_revoke
from tests.outcomes.factories import make_certificate

pytestmark = pytest.mark.django_db


def test_a_valid_code_shows_the_certificate_to_anyone(client, setup):
    cert = make_certificate(setup.program, setup.chen, code="ABCD2345EFGH")
    # when an anonymous visitor opens the link printed on the certificate (with dashes)
    response = client.get("/verify/abcd-2345-efgh/")
    page = response.content.decode()
    # then the certificate is shown as valid, with the name partly masked
    assert response.status_code == 200
    assert "证书真实有效" in page and "陈*明" in page and "陈晓明" not in page
    assert "周末知行学堂" in page and "东江县委组织部" in page and "2025-03-01" in page
    assert cert.display_code == "ABCD-2345-EFGH"


def test_the_form_sends_a_typed_code_to_its_page(client, setup):
    make_certificate(setup.program, setup.chen, code="ABCD2345EFGH")
    response = client.get("/verify/", {"code": " abcd 2345 efgh "})
    assert response.status_code == 302 and response["Location"] == "/verify/ABCD2345EFGH/"


def test_an_unknown_code_says_the_certificate_does_not_exist(client, db):
    for code in ("ZZZZ9999ZZZZ", "<script>", "x" * 300):
        response = client.get(f"/verify/{code}/")
        assert response.status_code == 404
        assert "证书不存在" in response.content.decode()


def test_a_revoked_certificate_is_shown_as_revoked_and_the_revocation_audited(client, setup):
    cert = make_certificate(setup.program, setup.chen, code="ABCD2345EFGH")
    certificate_revoke(actor=setup.organizer, certificate=cert, reason="出勤记录有误")
    page = client.get("/verify/ABCD2345EFGH/").content.decode()
    assert "已撤销" in page and "证书真实有效" not in page
    entry = AuditEntry.objects.get(object_type="outcomes.certificate")
    assert entry.changes["reason"] == [None, "出勤记录有误"]
    with pytest.raises(OutcomeError) as again:
        certificate_revoke(actor=setup.organizer, certificate=cert, reason="x")
    assert again.value.code == "already_revoked"


def test_the_trainee_prints_their_own_certificate_but_not_anothers(client, setup):
    mine = make_certificate(setup.program, setup.chen)
    other = make_certificate(setup.program, setup.wang)
    client.force_login(setup.trainee)
    page = client.get(f"/outcomes/certificates/{mine.pk}/").content.decode()
    assert "结业证书" in page and mine.display_code in page and "data-print" in page
    assert client.get(f"/outcomes/certificates/{other.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "masked"), [("陈晓明", "陈*明"), ("王五", "王*"), ("欧阳小明", "欧**明"), ("李", "李")]
)
def test_names_are_masked_enough_to_recognise_not_to_harvest(name, masked):
    assert mask_name(name) == masked
