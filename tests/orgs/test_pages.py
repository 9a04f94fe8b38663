"""The tree and roster pages: what administrators and contacts do with their mouse, end to end."""

import pytest

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre, Org, RankTitle
from tests.factories import CadreFactory, make_user

VALID_ID = "11010519491231002X"


def general_rank() -> int:
    return RankTitle.objects.get(name="一般干部").pk


def test_admin_adds_renames_moves_and_retires_a_node_through_the_pages(client, admin, city):
    client.force_login(admin)
    # add
    response = client.post(
        f"/orgs/{city.county_b.pk}/new/",
        {"code": "330202050", "name": "新区街道", "level": "township"},
    )
    with unscoped():
        org = Org.objects.get(code="330202050")
    assert response["Location"] == f"/orgs/{org.pk}/"
    # rename
    client.post(
        f"/orgs/{org.pk}/edit/",
        {"code": "330202050", "name": "新城街道", "level": "township", "sort": 1},
    )
    # move
    client.post(f"/orgs/{org.pk}/move/", {"new_parent": city.county_a.pk})
    # retire
    client.post(f"/orgs/{org.pk}/retire/")
    org.refresh_from_db()
    assert (org.name, org.parent_id, org.is_active) == ("新城街道", city.county_a.pk, False)
    page = client.get(f"/orgs/{org.pk}/").content.decode()
    assert "变更记录" in page and "新区街道 → 新城街道" in page
    assert AuditEntry.objects.filter(object_id=str(org.pk)).count() == 4


def test_tree_expands_children_on_demand(client, admin, city):
    client.force_login(admin)
    tree = client.get("/orgs/").content.decode()
    assert "东江县" in tree and "东湖镇" not in tree
    children = client.get(
        f"/orgs/{city.county_a.pk}/children/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "东湖镇" in children and "南岭乡" in children


def test_bad_cadre_form_shows_field_errors_and_saves_nothing(client, town_contact, city):
    client.force_login(town_contact)
    response = client.post(
        "/cadres/new/",
        {
            "name": "孙丽",
            "id_number": "110105194912310021",
            "unit": city.town_a1.pk,
            "rank_title": general_rank(),
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()
    with unscoped():
        assert not Cadre.objects.exists()


def test_unit_outside_scope_is_not_even_offered(client, town_contact, city):
    client.force_login(town_contact)
    response = client.post(
        "/cadres/new/",
        {
            "name": "孙丽",
            "id_number": VALID_ID,
            "unit": city.town_b1.pk,
            "rank_title": general_rank(),
            "status": "active",
        },
    )
    assert (
        "选择一个有效的选项" in response.content.decode()
        or "Select a valid choice" in response.content.decode()
    )
    with unscoped():
        assert not Cadre.objects.exists()


def test_contact_registers_and_edits_a_cadre(client, town_contact, city):
    client.force_login(town_contact)
    response = client.post(
        "/cadres/new/",
        {
            "name": "孙丽",
            "id_number": VALID_ID,
            "unit": city.village_a1.pk,
            "rank_title": general_rank(),
            "status": "active",
            "position": "村委委员",
        },
    )
    with unscoped():
        cadre = Cadre.objects.get()
    assert response["Location"] == f"/cadres/{cadre.pk}/"
    page = client.get(f"/cadres/{cadre.pk}/").content.decode()
    assert VALID_ID not in page and "110***********002X" in page


def test_full_id_number_is_shown_on_request_and_audited(client, town_contact, city, cadres):
    cadre = cadres["inside"]
    client.force_login(town_contact)
    response = client.post(f"/cadres/{cadre.pk}/id-number/", HTTP_HX_REQUEST="true")
    assert cadre.id_number in response.content.decode()
    entry = AuditEntry.objects.get(action="view_sensitive")
    assert entry.object_id == str(cadre.pk) and entry.actor == town_contact


def test_trainee_may_reveal_only_own_number(client, city, cadres):
    trainee = make_user(city.town_a1, Role.TRAINEE, cadre=cadres["inside"])
    client.force_login(trainee)
    assert client.post(f"/cadres/{cadres['inside'].pk}/id-number/").status_code == 200
    assert client.post(f"/cadres/{cadres['inside_village'].pk}/id-number/").status_code == 404


def test_organizer_sees_masked_id_numbers(client, city):
    organizer = make_user(city.city, Role.ORGANIZER)
    cadre = CadreFactory(unit=city.town_a1)
    client.force_login(organizer)
    page = client.get(f"/cadres/{cadre.pk}/").content.decode()
    assert cadre.id_number not in page and cadre.id_number_masked in page
    assert "显示完整" not in page
    assert client.post(f"/cadres/{cadre.pk}/id-number/").status_code == 403


@pytest.mark.parametrize(("q", "expected"), [("张", {"张三"}), ("", {"张三", "李四"})])
def test_search_by_name(client, town_contact, cadres, q, expected):
    client.force_login(town_contact)
    page = client.get("/cadres/", {"q": q}).content.decode()
    assert {n for n in ("张三", "李四") if n in page} == expected


def test_search_by_id_tail_and_filters_by_unit_and_rank(client, town_contact, city, cadres):
    client.force_login(town_contact)
    tail = cadres["inside_village"].id_number[-4:]
    assert "李四" in client.get("/cadres/", {"q": tail}).content.decode()
    by_unit = client.get("/cadres/", {"unit": city.village_a1.pk}).content.decode()
    assert "李四" in by_unit and "张三" not in by_unit
    assert "共 0 人" in client.get("/cadres/", {"rank": "county_main"}).content.decode()


def test_admin_keeps_the_category_list(client, admin):
    client.force_login(admin)
    client.post("/cadres/categories/", {"code": "young", "name": "年轻干部", "sort": 1})
    from ganxun.orgs.models import CadreCategory

    cat = CadreCategory.objects.get()
    client.post(
        "/cadres/categories/", {"pk": cat.pk, "code": "young", "name": "优秀年轻干部", "sort": 1}
    )
    cat.refresh_from_db()
    assert cat.name == "优秀年轻干部"
    dup = client.post("/cadres/categories/", {"code": "other", "name": "优秀年轻干部", "sort": 2})
    assert "已存在" in dup.content.decode()
    assert AuditEntry.objects.filter(object_type="orgs.cadrecategory").count() == 2


def test_edit_form_keeps_the_saved_birth_date_in_the_date_input(client, town_contact, cadres):
    client.force_login(town_contact)
    cadre = cadres["inside"]
    page = client.get(f"/cadres/{cadre.pk}/edit/").content.decode()
    assert f'value="{cadre.birth_date:%Y-%m-%d}"' in page
