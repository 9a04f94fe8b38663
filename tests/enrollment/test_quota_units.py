"""名额 addressed to units: allocating in bulk (the same number each, or a total in proportion
to active cadres with largest-remainder rounding), the units' contacts told, and 提醒 to the
units that have nominated nobody yet (once a day)."""

from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry, Notice
from ganxun.enrollment.models import Quota
from ganxun.enrollment.services import nomination_create, quota_save
from ganxun.enrollment.services.allocation import largest_remainder
from ganxun.orgs.models import Cadre
from tests.factories import CadreFactory, make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(setup, city, town_contact):
    """Three units of 东江县 with 3, 3 and 1 active cadres (retired and transferred ones, and a
    unit outside the choice, do not count), each with its contact."""
    dept = make_org(city.county_a, name="县委组织部", level="department", code="330201A01")
    CadreFactory(unit=city.town_a1, name="张三")
    CadreFactory(unit=city.town_a1, name="李明")
    CadreFactory(unit=city.village_a1, name="李四")  # 东湖村 is inside 东湖镇
    for name in ("王五", "王芳", "钱进"):
        CadreFactory(unit=city.town_a2, name=name)
    CadreFactory(unit=city.town_a2, name="孙退", status=Cadre.Status.RETIRED)
    CadreFactory(unit=dept, name="周一")
    CadreFactory(unit=dept, name="吴调", status=Cadre.Status.TRANSFERRED)
    return {
        "orgs": [city.town_a1, city.town_a2, dept],
        "contacts": {
            city.town_a1.pk: town_contact,
            city.town_a2.pk: make_user(city.town_a2, Role.UNIT_CONTACT, username="contact_a2"),
            dept.pk: make_user(dept, Role.UNIT_CONTACT, username="contact_dept"),
        },
        "dept": dept,
    }


def kinds(user) -> list[str]:
    return list(Notice.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def seats_by_unit(program) -> dict[str, int]:
    return dict(Quota._base_manager.filter(program=program).values_list("org__name", "seats"))


def bulk_url(program) -> str:
    return f"/enrollment/programs/{program.pk}/quotas/bulk/"


def test_largest_remainder_adds_up_exactly_and_gives_the_rest_to_the_largest_fractions():
    assert [n for _, n in largest_remainder(10, [3, 3, 1])] == [4, 4, 2]
    assert [x for x, _ in largest_remainder(10, [3, 3, 1])] == [
        Fraction(30, 7),
        Fraction(30, 7),
        Fraction(10, 7),
    ]
    for total, weights in [(7, [1, 1, 1]), (100, [17, 5, 0, 41, 9]), (3, [5, 5, 5, 5, 5])]:
        assert sum(n for _, n in largest_remainder(total, weights)) == total
    assert [n for _, n in largest_remainder(2, [1, 1, 1])] == [1, 1, 0]


def test_ten_seats_in_proportion_to_3_3_1_cadres_preview_then_confirm(client, setup, units):
    client.force_login(setup.organizer)
    blank = client.get(bulk_url(setup.program))
    assert blank.status_code == 200 and "按在职干部人数比例分配共 M 名" in blank.content.decode()
    form = {
        "orgs": [o.pk for o in units["orgs"]],
        "mode": "proportional",
        "number": "10",
        "kind": "quota",
        "batch": "",
    }
    # when the organizer asks for 10 seats in proportion to active cadres
    page = client.post(bulk_url(setup.program), form)
    # then the preview shows each unit's cadres, exact share and rounded seats, adding up to 10
    rows = [
        (r.org.name, r.cadres, r.exact_display, r.seats, r.rounded_by)
        for r in page.context["allocation"].rows
    ]
    assert sorted(rows) == sorted(
        [
            ("东湖镇", 3, "4.29", 4, "−0.29"),
            ("南岭乡", 3, "4.29", 4, "−0.29"),
            ("县委组织部", 1, "1.43", 2, "+0.57"),
        ]
    )
    assert page.context["allocation"].total == 10
    html = page.content.decode()
    assert "4.29" in html and "+0.57" in html and "最大余数法" in html
    # and nothing is written before confirming
    assert seats_by_unit(setup.program) == {}
    assert all(kinds(c) == [] for c in units["contacts"].values())
    # when they confirm that same preview
    confirm = {
        **form,
        "bulk_confirm": "1",
        "bulk_fingerprint": page.context["preview"].fingerprint,
    }
    resp = client.post(bulk_url(setup.program), confirm)
    assert resp.status_code == 302
    # then the quotas are 4/4/2, each unit's contact is told once, and each write is audited
    assert seats_by_unit(setup.program) == {"东湖镇": 4, "南岭乡": 4, "县委组织部": 2}
    assert all(kinds(c) == ["quota_allocated"] for c in units["contacts"].values())
    assert AuditEntry.objects.filter(object_type__icontains="quota", action="create").count() == 3


def test_the_same_number_for_each_unit_changes_an_existing_quota(client, setup, units, city):
    quota_save(actor=setup.organizer, program=setup.program, org=city.town_a1, seats=1)
    client.force_login(setup.organizer)
    form = {"orgs": [o.pk for o in units["orgs"]], "mode": "each", "number": "3", "kind": "quota"}
    page = client.post(bulk_url(setup.program), form)
    assert "东湖镇 1→3" in page.content.decode()
    confirm = {**form, "bulk_confirm": "1", "bulk_fingerprint": page.context["preview"].fingerprint}
    client.post(bulk_url(setup.program), confirm)
    assert seats_by_unit(setup.program) == {"东湖镇": 3, "南岭乡": 3, "县委组织部": 3}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"number": "0"}, "number", "名额数须为大于 0 的整数。"),
        ({"number": "-4"}, "number", "名额数须为大于 0 的整数。"),
        ({"number": ""}, "number", "名额数须为大于 0 的整数。"),
        ({"orgs": []}, "orgs", "请至少选择一个单位。"),
        (
            {"number": "10001"},
            "number",
            "合计 10001 个名额，超过一次分配 10000 个的上限，请减少。",
        ),
        (
            {"mode": "each", "number": "5000"},
            "number",
            "合计 15000 个名额，超过一次分配 10000 个的上限，请减少。",
        ),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(
    client, setup, units, changes, field, message
):
    client.force_login(setup.organizer)
    form = {
        "orgs": [o.pk for o in units["orgs"]],
        "mode": "proportional",
        "number": "10",
        "kind": "quota",
        **changes,
    }
    for extra in ({}, {"bulk_confirm": "1", "bulk_fingerprint": "x"}):
        page = client.post(bulk_url(setup.program), {**form, **extra})
        assert page.status_code == 200
        assert page.context["form"].errors[field] == [message]
        assert page.context["allocation"] is None
    assert seats_by_unit(setup.program) == {}
    assert all(kinds(c) == [] for c in units["contacts"].values())


def test_a_single_quota_tells_the_units_contact(setup, units, city):
    quota_save(actor=setup.organizer, program=setup.program, org=city.town_a2, seats=2)
    assert kinds(units["contacts"][city.town_a2.pk]) == ["quota_allocated"]
    assert kinds(units["contacts"][city.town_a1.pk]) == []


def test_reminders_go_only_to_units_that_nominated_nobody_once_a_day(client, setup, units, city):
    org = setup.organizer
    quotas = {
        o.pk: quota_save(actor=org, program=setup.program, org=o, seats=2) for o in units["orgs"]
    }
    cadre = Cadre._base_manager.filter(unit=city.town_a1).first()
    nomination_create(actor=setup.contact, quota=quotas[city.town_a1.pk], cadre=cadre)
    client.force_login(org)
    # the quota page lists the two units with no nominee first, each with 提醒
    page = client.get(f"/enrollment/programs/{setup.program.pk}/quotas/")
    listed = [(u.org.name, u.used) for u in page.context["quota_units"]]
    assert listed == [("南岭乡", 0), ("县委组织部", 0), ("东湖镇", 1)]
    assert page.content.decode().count('name="org" value=') == 2
    # when the organizer reminds all
    resp = client.post(f"/enrollment/programs/{setup.program.pk}/quotas/remind/", follow=True)
    assert "已提醒 2 个单位，发出 2 条消息。" in resp.content.decode()
    contacts = units["contacts"]
    assert kinds(contacts[city.town_a2.pk]) == ["quota_allocated", "quota_reminder"]
    assert kinds(contacts[units["dept"].pk]) == ["quota_allocated", "quota_reminder"]
    assert kinds(contacts[city.town_a1.pk]) == ["quota_allocated"]
    audited = AuditEntry.objects.filter(object_type__icontains="program").order_by("id").last()
    assert "南岭乡" in str(audited.changes) and "东湖镇" not in str(audited.changes)
    # and again the same day: nothing sent
    resp = client.post(
        f"/enrollment/programs/{setup.program.pk}/quotas/remind/",
        {"org": city.town_a2.pk},
        follow=True,
    )
    assert "今天已提醒过" in resp.content.decode()
    assert kinds(contacts[city.town_a2.pk]) == ["quota_allocated", "quota_reminder"]
    # the next day, one unit reminded again
    Quota._base_manager.update(reminded_at=timezone.now() - timedelta(days=1, minutes=1))
    client.post(f"/enrollment/programs/{setup.program.pk}/quotas/remind/", {"org": city.town_a2.pk})
    assert kinds(contacts[city.town_a2.pk])[-2:] == ["quota_reminder", "quota_reminder"]
    assert kinds(contacts[units["dept"].pk]) == ["quota_allocated", "quota_reminder"]
