"""The organization tree: subtree queries at any depth, moves, retirement, audit of each."""

import pytest

from ganxun.core.errors import PermissionDenied
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.orgs import services
from ganxun.orgs.errors import OrgError
from ganxun.orgs.models import Org
from tests.factories import CadreFactory, make_org


def subtree_names(org):
    with unscoped():
        return set(Org.objects.filter(path__startswith=org.path).values_list("name", flat=True))


def test_subtree_is_one_query_at_any_depth(city, django_assert_num_queries):
    deep = city.village_a1
    for depth in range(6):
        deep = make_org(deep, name=f"第{depth}层", level="department")
    with django_assert_num_queries(1), unscoped():
        names = list(
            Org.objects.filter(path__startswith=city.county_a.path).values_list("name", flat=True)
        )
    assert "第5层" in names and "西山区" not in names


def test_admin_creates_a_child_and_the_audit_log_records_it(city, admin):
    # when
    org = services.org_create(
        actor=admin, parent=city.county_b, code="330202002", name="西河镇", level="township"
    )
    # then
    assert org.path.startswith(city.county_b.path) and org.depth == 2
    entry = AuditEntry.objects.get(object_type="orgs.org", object_id=str(org.pk))
    assert entry.action == "create" and entry.actor == admin
    assert entry.changes["name"] == [None, "西河镇"]


def test_duplicate_code_is_refused_naming_the_holder(city, admin):
    with pytest.raises(OrgError) as exc:
        services.org_create(
            actor=admin, parent=city.county_b, code="330201001", name="重复", level="township"
        )
    assert exc.value.code == "duplicate_code" and "东湖镇" in exc.value.message


def test_moving_a_township_moves_its_whole_subtree_and_keeps_its_identity(city, admin):
    # given 东湖镇 (with 东湖村 below) under 东江县
    cadre = CadreFactory(unit=city.village_a1)
    # when it moves under 西山区
    services.org_move(actor=admin, org=city.town_a1, new_parent=city.county_b)
    # then 西山区's subtree contains the town and its village, with the same ids and codes
    assert {"东湖镇", "东湖村"} <= subtree_names(city.county_b)
    assert "东湖村" not in subtree_names(city.county_a)
    with unscoped():
        village = Org.objects.get(pk=city.village_a1.pk)
    assert village.depth == 3 and village.code == "330201001001"
    assert cadre.unit_id == village.pk
    entry = AuditEntry.objects.filter(object_id=str(city.town_a1.pk), action="update").get()
    assert entry.changes["parent"] == ["东江县", "西山区"]


def test_moving_a_node_under_its_own_descendant_is_refused(city, admin):
    with pytest.raises(OrgError) as exc:
        services.org_move(actor=admin, org=city.county_a, new_parent=city.village_a1)
    assert exc.value.code == "move_into_own_subtree"


def test_retiring_a_unit_with_active_cadres_is_refused(city, admin):
    CadreFactory(unit=city.town_a2)
    with pytest.raises(OrgError) as exc:
        services.org_retire(actor=admin, org=city.town_a2)
    assert exc.value.code == "has_active_cadres"


def test_retired_unit_stays_in_the_tree_but_takes_no_new_children(city, admin):
    services.org_retire(actor=admin, org=city.town_a2)
    city.town_a2.refresh_from_db()
    assert not city.town_a2.is_active and city.town_a2.retired_at
    with pytest.raises(OrgError) as exc:
        services.org_create(
            actor=admin, parent=city.town_a2, code="X1", name="新村", level="village"
        )
    assert exc.value.code == "parent_retired"


def test_a_county_admin_cannot_touch_another_county(city):
    from ganxun.accounts.models import Role
    from tests.factories import make_user

    county_admin = make_user(city.county_a, Role.ADMIN)
    with pytest.raises(OrgError) as exc:
        services.org_create(
            actor=county_admin, parent=city.county_b, code="Z9", name="越权镇", level="township"
        )
    assert exc.value.code == "org_out_of_scope"


def test_a_unit_contact_cannot_change_the_tree(city, town_contact):
    with pytest.raises(PermissionDenied):
        services.org_update(
            actor=town_contact,
            org=city.town_a1,
            code="330201001",
            name="改名",
            level="township",
            sort=0,
        )
