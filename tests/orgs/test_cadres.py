"""Registering and editing cadres: the ID number is the identity and is checked every time."""

from datetime import date

import pytest

from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.orgs import services
from ganxun.orgs.errors import OrgError
from ganxun.orgs.models import Cadre
from tests.factories import CategoryFactory

VALID_ID = "11010519491231002X"  # a woman born 1949-12-31


def data(unit, **overrides):
    values = {"name": "刘 芳", "id_number": VALID_ID.lower(), "unit": unit, "rank": "general"}
    values.update(overrides)
    return services.CadreData(**values)


def test_birth_date_and_gender_are_derived_from_the_id_number(city, town_contact):
    cadre = services.cadre_create(actor=town_contact, data=data(city.town_a1))
    assert (cadre.name, cadre.id_number, cadre.gender) == ("刘芳", VALID_ID, "F")
    assert cadre.birth_date == date(1949, 12, 31) and cadre.id_tail == "002X"


def test_invalid_id_number_is_refused_and_nothing_saved(city, town_contact):
    with pytest.raises(OrgError) as exc:
        services.cadre_create(
            actor=town_contact, data=data(city.town_a1, id_number="110105194912310021")
        )
    assert exc.value.code == "invalid_id_number" and exc.value.field == "id_number"
    with unscoped():
        assert Cadre.objects.count() == 0


def test_duplicate_id_number_names_the_existing_cadre_even_out_of_scope(city, admin, town_contact):
    services.cadre_create(actor=admin, data=data(city.town_b1, name="周敏"))
    with pytest.raises(OrgError) as exc:
        services.cadre_create(actor=town_contact, data=data(city.town_a1, name="周敏"))
    assert exc.value.code == "duplicate_id_number"
    assert "周敏" in exc.value.message and "北桥街道" in exc.value.message


def test_birth_date_that_contradicts_the_id_number_is_refused(city, town_contact):
    with pytest.raises(OrgError) as exc:
        services.cadre_create(
            actor=town_contact, data=data(city.town_a1, birth_date=date(1950, 1, 1))
        )
    assert exc.value.code == "birth_date_mismatch"


def test_gender_that_contradicts_the_id_number_is_refused(city, town_contact):
    with pytest.raises(OrgError) as exc:
        services.cadre_create(actor=town_contact, data=data(city.town_a1, gender="M"))
    assert exc.value.code == "gender_mismatch"


def test_unit_outside_the_contacts_subtree_is_refused(city, town_contact):
    with pytest.raises(OrgError) as exc:
        services.cadre_create(actor=town_contact, data=data(city.town_b1))
    assert exc.value.code == "unit_out_of_scope"


def test_update_records_old_and_new_values_in_the_audit_log(city, town_contact):
    young = CategoryFactory(code="young", name="年轻干部")
    cadre = services.cadre_create(actor=town_contact, data=data(city.town_a1, position="科员"))
    services.cadre_update(
        actor=town_contact,
        cadre=cadre,
        data=data(city.village_a1, position="副镇长", categories=[young]),
    )
    entry = AuditEntry.objects.get(object_type="orgs.cadre", action="update")
    assert entry.changes["position"] == ["科员", "副镇长"]
    assert entry.changes["unit"] == ["东湖镇", "东湖村"]
    assert entry.changes["categories"] == [[], ["年轻干部"]]


def test_delete_is_audited_with_the_last_values(city, town_contact):
    cadre = services.cadre_create(actor=town_contact, data=data(city.town_a1))
    services.cadre_delete(actor=town_contact, cadre=cadre)
    entry = AuditEntry.objects.get(action="delete")
    assert entry.changes["name"] == ["刘芳", None]
