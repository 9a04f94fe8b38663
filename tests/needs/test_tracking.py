"""Response tracking: rates per unit, who has not answered, export, QR codes, scoping."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from ganxun.needs import selectors, services
from tests.factories import make_user
from tests.needs.conftest import full_answer, invite_all, person


@pytest.fixture
def spread(admin, city, survey, questions):
    """Invited / submitted: 东湖镇 3 / 2 (+1 draft), 东湖村 1 / 1, 南岭乡 2 / 0, 北桥街道 2 / 1."""
    people = {
        "东湖甲": city.town_a1,
        "东湖乙": city.town_a1,
        "东湖丙": city.town_a1,
        "东湖村甲": city.village_a1,
        "南岭甲": city.town_a2,
        "南岭乙": city.town_a2,
        "北桥甲": city.town_b1,
        "北桥乙": city.town_b1,
    }
    for name, unit in people.items():
        person(unit, name=name)
    services.needs_survey_open(
        actor=admin, survey=survey, closes_at=timezone.now() + timedelta(days=3)
    )
    by_name = {r.name: r for r in invite_all(admin, survey)}
    for name in ("东湖甲", "东湖乙", "东湖村甲", "北桥甲"):
        services.respondent_answer(
            respondent=by_name[name], data=full_answer(questions), submit=True, submission_key="k"
        )
    services.respondent_answer(
        respondent=by_name["东湖丙"], data=full_answer(questions), submit=False
    )
    return by_name


def test_city_administrator_sees_rates_per_county(admin, city, survey, spread):
    t = selectors.tracking(admin, survey, city.city)
    assert (t.overall.total, t.overall.submitted, t.overall.drafts) == (8, 4, 1)
    assert t.overall.percent == 50.0
    rows = {r.label: (r.total, r.submitted, r.percent) for r in t.rows}
    assert rows == {"东江县": (6, 3, 50.0), "西山区": (2, 1, 50.0)}


def test_drilling_down_to_a_township_shows_the_village_and_the_town_itself(
    admin, city, survey, spread
):
    t = selectors.tracking(admin, survey, city.town_a1)
    rows = {r.label: (r.total, r.submitted) for r in t.rows}
    assert rows == {"东湖镇（本级）": (3, 2), "东湖村": (1, 1)}


def test_unit_contact_sees_only_own_unit_and_who_has_not_answered(
    client, town_contact, survey, spread
):
    client.force_login(town_contact)
    # the survey is listed for the contact, with the township's own counts
    listing = client.get("/needs/").content.decode()
    assert survey.title in listing
    page = client.get(f"/needs/{survey.pk}/respondents/").content.decode()
    assert "东湖丙" in page  # a draft is not an answer
    assert "东湖甲" not in page  # submitted
    assert "南岭甲" not in page and "北桥乙" not in page  # other units
    assert "75.0%" in page  # 3 of 4 in 东湖镇 and 东湖村


def test_non_respondent_export_has_personal_links_and_is_audited(
    client, town_contact, survey, spread
):
    client.force_login(town_contact)
    response = client.get(f"/needs/{survey.pk}/respondents/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert [(r[0], r[4]) for r in rows] == [("东湖丙", "已填写未提交")]
    assert "/s/" in rows[0][5]
    assert AuditEntry.objects.filter(action="export", object_type="needs.needssurvey").exists()


def test_qr_code_and_printable_slips(client, admin, survey, spread):
    client.force_login(admin)
    qr = client.get(f"/needs/{survey.pk}/respondents/{spread['南岭甲'].pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    slips = client.get(f"/needs/{survey.pk}/respondents/slips/").content.decode()
    assert slips.count("<svg") == 4 and "南岭乙" in slips


def test_contacts_of_other_units_get_not_found(client, city, survey, spread):
    # a contact of 北桥街道 may track the survey, but not 东湖镇's people or pages
    contact = make_user(city.town_b1, Role.UNIT_CONTACT)
    client.force_login(contact)
    page = client.get(f"/needs/{survey.pk}/respondents/").content.decode()
    assert "北桥乙" in page and "东湖丙" not in page
    assert (
        client.get(f"/needs/{survey.pk}/respondents/{spread['东湖丙'].pk}/qr.svg").status_code
        == 404
    )
    assert (
        client.get(f"/needs/{survey.pk}/respondents/", {"unit": city.town_a1.pk}).status_code == 404
    )
    # managing pages are not theirs
    assert client.get(f"/needs/{survey.pk}/analysis/").status_code == 403
    # a contact whose subtree nobody was asked in does not see the survey at all
    lonely = make_user(city.dept_city, Role.UNIT_CONTACT)
    client.force_login(lonely)
    assert client.get(f"/needs/{survey.pk}/").status_code == 404


def test_tracking_page_queries_do_not_grow_with_respondents(
    client, admin, city, survey, questions, spread, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/needs/{survey.pk}/respondents/")
    for i in range(20):
        person(city.town_a2 if i % 2 else city.village_a1)
    invite_all(admin, survey)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/needs/{survey.pk}/respondents/")
    assert len(many.captured_queries) <= len(few.captured_queries)
