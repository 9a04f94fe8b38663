"""The pages: a contact's compliance of the subtree with drill-down and export, the 培训档案,
corrections, the rules with their sources, the trainee's own record."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from ganxun.accounts.models import Role
from ganxun.core.scoping import unscoped
from ganxun.credits.models import CreditEntry
from tests.credits.factories import make_entry, only_rule
from tests.factories import make_user

Y = 2025


@pytest.fixture
def ledger(cadres):
    """张三 (东湖镇) met 10 学时; 李四 (东湖村) has 4; the others nothing."""
    with unscoped():
        only_rule(amount=Decimal("10"))
        make_entry(cadres["inside"], date(Y, 3, 1), 10, title="春季主体班")
        make_entry(cadres["inside_village"], date(Y, 3, 1), 4, title="村干部轮训")
        make_entry(cadres["other_county"], date(Y, 3, 1), 1, title="西山区的课")


def test_contact_sees_the_subtree_and_drills_down_to_a_cadre(client, town_contact, city, ledger):
    client.force_login(town_contact)
    response = client.get("/credits/", follow=True)
    assert f"/credits/org/{city.town_a1.pk}/" in response.redirect_chain[-1][0]
    page = client.get(f"/credits/org/{city.town_a1.pk}/", {"year": Y}).content.decode()
    assert "东湖村" in page and "李四" in page and "赵六" not in page
    assert "测试依据" in page  # every figure names its source
    record = client.get(f"/credits/cadre/{ledger_cadre(city, '李四')}/", {"year": Y})
    text = record.content.decode()
    assert "李四 培训档案" in text and "村干部轮训" in text and "差 6 学时" in text


def ledger_cadre(city, name):
    from ganxun.orgs.models import Cadre

    with unscoped():
        return Cadre.objects.get(name=name).pk


def test_another_countys_unit_and_cadre_are_not_found(client, town_contact, city, cadres, ledger):
    client.force_login(town_contact)
    assert client.get(f"/credits/org/{city.town_b1.pk}/").status_code == 404
    assert client.get(f"/credits/cadre/{cadres['other_county'].pk}/").status_code == 404
    assert client.get(f"/credits/org/{city.county_a.pk}/").status_code == 404  # above the town


def test_export_of_the_shortfalls_is_an_excel_list_for_appraisal(
    client, town_contact, city, ledger
):
    client.force_login(town_contact)
    response = client.get(
        f"/credits/org/{city.town_a1.pk}/export.xlsx", {"year": Y, "only": "short"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["未达标人员"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    names = [r[1] for r in rows if isinstance(r[0], int)]
    assert names == ["李四"]
    assert "差 6 学时" in rows[0][9]
    everyone = client.get(f"/credits/org/{city.town_a1.pk}/export.xlsx", {"year": Y})
    sheet = openpyxl.load_workbook(io.BytesIO(everyone.content))["学时达标情况"]
    assert {
        r[1] for r in sheet.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)
    } == {"张三", "李四"}


def test_trainee_sees_only_their_own_record(client, city, cadres, ledger):
    trainee = make_user(city.town_a1, Role.TRAINEE, cadre=cadres["inside"])
    client.force_login(trainee)
    response = client.get("/credits/mine/", follow=True)
    assert "春季主体班" in response.content.decode()
    assert client.get(f"/credits/cadre/{cadres['inside_village'].pk}/").status_code == 404
    assert client.get(f"/credits/org/{city.town_a1.pk}/").status_code == 403
    # and the roster record page links to it
    assert "/credits/cadre/" in client.get("/cadres/mine/").content.decode()


def test_a_correction_needs_a_reason_and_adds_a_reversing_line(
    client, town_contact, cadres, ledger
):
    client.force_login(town_contact)
    with unscoped():
        entry = CreditEntry.objects.get(cadre=cadres["inside"])
    refused = client.post(f"/credits/entry/{entry.pk}/reverse/", {"reason": ""})
    assert refused.status_code == 200 and "冲销原因" in refused.content.decode()
    done = client.post(f"/credits/entry/{entry.pk}/reverse/", {"reason": "重复登记"})
    assert done.status_code == 302
    with unscoped():
        assert CreditEntry.objects.filter(cadre=cadres["inside"]).count() == 2
    page = client.get(f"/credits/cadre/{cadres['inside'].pk}/", {"year": Y}).content.decode()
    assert "冲销：春季主体班" in page and "重复登记" in page


def test_manual_entry_with_absurd_hours_is_refused_without_a_500(client, town_contact, cadres):
    client.force_login(town_contact)
    response = client.post(
        f"/credits/cadre/{cadres['inside'].pk}/new/",
        {"day": "2025-05-01", "channel": 8, "title": "读书班", "hours": "30", "reason": "通知"},
    )
    assert response.status_code == 400 and "24" in response.content.decode()
    with unscoped():
        assert not CreditEntry.objects.filter(cadre=cadres["inside"]).exists()


def test_rules_page_cites_the_national_sources_and_only_admins_edit(client, admin, town_contact):
    client.force_login(town_contact)
    page = client.get("/credits/rules/").content.decode()
    assert "干部教育培训工作条例" in page and "全国干部教育培训规划" in page
    assert client.get("/credits/rules/new/").status_code == 403
    client.force_login(admin)
    response = client.post(
        "/credits/rules/new/",
        {
            "name": "网络学时上限示例",
            "ranks": ["general"],
            "period": "year",
            "amount": "40",
            "unit": "hours",
            "channels": [],
            "cap_channel": "2",
            "cap_percent": "30",
            "source": "本市办法第五条",
            "sort": "40",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    from ganxun.credits.models import Requirement

    assert Requirement.objects.get(name="网络学时上限示例").caps == {"2": 0.3}


def test_organizer_sets_a_program_bonus(client, city):
    from ganxun.credits.models import ProgramCreditRule
    from tests.programs.factories import make_program

    organizer = make_user(city.city, Role.ORGANIZER)
    program = make_program(city.city, organizer=organizer)
    client.force_login(organizer)
    response = client.post(f"/credits/program/{program.pk}/bonus/", {"bonus_hours": "8"})
    assert response.status_code == 302
    assert ProgramCreditRule._base_manager.get(program=program).bonus_hours == Decimal("8")
