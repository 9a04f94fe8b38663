"""身份证号 and phone numbers are encrypted at rest and found by a keyed hash."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import IntegrityError, connection, transaction

from ganxun.accounts.models import Role
from ganxun.core import crypto
from ganxun.core.scoping import unscoped
from ganxun.orgs.lookup import cadre_by_id_number, cadres_by_id_numbers, id_hash
from ganxun.orgs.models import Cadre
from ganxun.orgs.roster.importer import ImportOptions, run_import
from tests.factories import PASSWORD, CadreFactory, make_user
from tests.orgs.roster_files import HEADERS, person_id, write_xlsx


def stored(cadre_pk: int) -> tuple[str, str, str, str]:
    """The row as the database holds it: (id_number, phone, id_hash, id_tail)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_hash, id_tail FROM orgs_cadre WHERE id = %s", [cadre_pk]
        )
        return cursor.fetchone()


def test_the_database_holds_ciphertext_and_the_model_gives_plain_text(city):
    # given a cadre saved through the ORM
    cadre = CadreFactory(unit=city.town_a1, phone="13800138000")
    number, phone, hashed, tail = stored(cadre.pk)
    # then neither the number nor the phone is in the row, only tokens, the hash and the tail
    assert cadre.id_number not in number and number.startswith("gx1:")
    assert "13800138000" not in phone and phone.startswith("gx1:")
    assert hashed == id_hash(cadre.id_number) and tail == cadre.id_number[-4:]
    # and reading it back gives the plain values and the masked forms
    with unscoped():
        again = Cadre.objects.get(pk=cadre.pk)
    assert again.id_number == cadre.id_number and again.phone == "13800138000"
    assert again.id_number_masked.startswith(cadre.id_number[:3]) and "*" in again.id_number_masked
    assert again.phone_masked == "138****8000"


def test_two_encryptions_of_one_number_differ_and_a_token_only_opens_in_its_column():
    a = crypto.encrypt("110101199003071234", context="orgs.cadre.id_number")
    b = crypto.encrypt("110101199003071234", context="orgs.cadre.id_number")
    assert a != b
    assert crypto.decrypt(a, context="orgs.cadre.id_number") == "110101199003071234"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(a, context="orgs.cadre.phone")
    tampered = a[:-6] + ("A" if a[-6] != "A" else "B") + a[-5:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, context="orgs.cadre.id_number")


def test_another_key_neither_decrypts_nor_finds(settings, city):
    cadre = CadreFactory(unit=city.town_a1)
    settings.GANXUN_FIELD_KEY = crypto.new_master_key()
    with unscoped():
        assert not Cadre.objects.filter(id_number=cadre.id_number).exists()
        with pytest.raises(crypto.DecryptionError):
            Cadre.objects.get(pk=cadre.pk)


def test_exact_and_in_lookups_go_through_the_hash_and_others_refuse(city):
    a, b = CadreFactory(unit=city.town_a1), CadreFactory(unit=city.town_a1)
    with unscoped():
        qs = Cadre.objects.all()
        assert qs.get(id_number=a.id_number) == a
        assert set(qs.filter(id_number__in=[a.id_number, b.id_number])) == {a, b}
        assert cadre_by_id_number(qs, b.id_number) == b
        assert cadres_by_id_numbers(qs, [a.id_number, "110101199003071234"]) == {a.id_number: a}
        with pytest.raises(FieldError):
            list(qs.filter(id_number__startswith="110"))
        with pytest.raises(FieldError):
            list(qs.filter(phone__contains="138"))


def test_one_person_one_record_is_enforced_by_the_hash(city):
    cadre = CadreFactory(unit=city.town_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CadreFactory(unit=city.town_a2, id_number=cadre.id_number)


def test_a_trainee_still_signs_in_with_the_id_number(client, city):
    cadre = CadreFactory(unit=city.town_a1)
    make_user(city.town_a1, Role.TRAINEE, username="xy1", cadre=cadre)
    response = client.post(
        "/accounts/login/", {"username": cadre.id_number.lower(), "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_roster_search_by_full_number_and_by_last_four_still_works(client, city, admin):
    cadre = CadreFactory(unit=city.town_a1, name="张三")
    client.force_login(admin)
    for q in (cadre.id_number, cadre.id_number[-4:]):
        page = client.get("/cadres/", {"q": q}).content.decode()
        assert "张三" in page and cadre.id_number_masked in page
        # the full number is never shown as text (only echoed back in the search's own links)
        assert f">{cadre.id_number}<" not in page


def test_the_roster_import_writes_encrypted_rows_and_reimports_without_writes(
    tmp_path, city, admin
):
    rows = [
        HEADERS,
        ["王五", "男", person_id(1), "1985.03", "东湖镇", "科员", "一般干部", "13800138000"],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    options = ImportOptions(root=city.town_a1, actor=admin, commit=True)
    result = run_import(path, options)
    assert result.counts["new"] == 1
    with unscoped():
        cadre = Cadre.objects.get(id_number=person_id(1))
    number, phone, _hash, _tail = stored(cadre.pk)
    assert number.startswith("gx1:") and phone.startswith("gx1:")
    assert cadre.phone == "13800138000"
    again = run_import(path, options)
    assert again.counts["unchanged"] == 1


def test_the_data_migration_encrypts_plain_rows_in_place(city):
    # given a row as it was before the migration: number and phone in the clear, no hash
    cadre = CadreFactory(unit=city.town_a1, phone="13900001111")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orgs_cadre SET id_number = %s, phone = %s WHERE id = %s",
            [cadre.id_number, "13900001111", cadre.pk],
        )
    from importlib import import_module

    migration = import_module("ganxun.orgs.migrations.0002_encrypt_personal_data")

    class Editor:
        connection = connection

    migration.encrypt_rows(None, Editor())
    number, phone, hashed, _tail = stored(cadre.pk)
    assert number.startswith("gx1:") and phone.startswith("gx1:")
    assert hashed == id_hash(cadre.id_number)
    # running it again changes nothing it cannot read back
    migration.encrypt_rows(None, Editor())
    with unscoped():
        assert Cadre.objects.get(id_number=cadre.id_number).phone == "13900001111"


def test_audit_entries_hold_masked_numbers_only(client, city, admin):
    from ganxun.core.models import AuditEntry
    from ganxun.orgs.services import CadreData, cadre_create

    cadre = cadre_create(
        actor=admin,
        data=CadreData(
            name="孙八",
            id_number=person_id(7),
            unit=city.town_a1,
            rank="general",
            phone="13700001234",
        ),
    )
    entry = AuditEntry.objects.get(action="create", object_id=str(cadre.pk))
    text = json.dumps(entry.changes, ensure_ascii=False)
    assert person_id(7) not in text and "13700001234" not in text
    assert cadre.id_number_masked in text


@pytest.mark.parametrize("key", ["", "short", "bm90LTMyLWJ5dGVz"])
def test_a_missing_or_malformed_key_is_refused(key):
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_master_key(key or "")


def test_production_settings_refuse_to_start_without_the_field_key():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.production",
        "GANXUN_SECRET_KEY": "q7Vd-2LmR9xKp4TzW0bN8sYcJ6hFuE3aG1oIiP5vXnQ",
        "GANXUN_ALLOWED_HOSTS": "ganxun.example",
        "GANXUN_FIELD_KEY": "",
    }
    code = "import django; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "GANXUN_FIELD_KEY" in result.stderr


def test_the_edit_page_shows_the_number_masked_and_saving_keeps_it(client, city, admin):
    cadre = CadreFactory(unit=city.town_a1, name="张三", phone="13800138000")
    client.force_login(admin)
    page = client.get(f"/cadres/{cadre.pk}/edit/").content.decode()
    assert cadre.id_number not in page and cadre.id_number_masked in page
    form = {
        "name": "张三",
        "id_number": cadre.id_number_masked,  # sent back as shown
        "unit": city.town_a1.pk,
        "rank_title": cadre.rank_title_id,
        "position": "副镇长",
        "status": "active",
        "phone": "13800138000",
    }
    response = client.post(f"/cadres/{cadre.pk}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    with unscoped():
        again = Cadre.objects.get(pk=cadre.pk)
    assert again.id_number == cadre.id_number and again.position == "副镇长"


def test_a_full_number_is_shown_on_request_only_and_audited(client, city, admin):
    from ganxun.core.models import AuditEntry

    cadre = CadreFactory(unit=city.town_a1)
    client.force_login(admin)
    assert cadre.id_number not in client.get(f"/cadres/{cadre.pk}/").content.decode()
    shown = client.post(f"/cadres/{cadre.pk}/id-number/").content.decode()
    assert cadre.id_number in shown
    assert AuditEntry.objects.filter(actor=admin, action="view_sensitive", object_id=str(cadre.pk))
    organizer = make_user(city.town_a1, Role.ORGANIZER)
    client.force_login(organizer)
    assert client.post(f"/cadres/{cadre.pk}/id-number/").status_code == 403
