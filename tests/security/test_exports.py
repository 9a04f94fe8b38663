"""Every Excel export names who exported it and when, masks what the role may not see, and is
audited."""

import io

import openpyxl
import pytest

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from tests.factories import CadreFactory, make_user


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def assert_stamped(book, username: str):
    assert book.sheetnames[-1] == "导出信息"
    assert f"导出人：{username}" in book["导出信息"]["A1"].value
    assert "导出时间：" in book["导出信息"]["A1"].value
    for sheet in book.worksheets[:-1]:
        assert f"导出人：{username}" in sheet.oddHeader.left.text
    assert book.properties.creator == username


@pytest.mark.parametrize(
    "roles,full", [((Role.ADMIN,), True), ((Role.UNIT_CONTACT,), True), ((Role.ORGANIZER,), False)]
)
def test_the_roster_export_masks_id_numbers_unless_the_role_may_see_them(client, city, roles, full):
    cadre = CadreFactory(unit=city.town_a1, name="张三")
    user = make_user(city.town_a1, *roles, username="exporter")
    client.force_login(user)
    book = workbook(client.get("/cadres/export.xlsx"))
    rows = list(book["干部名册"].values)
    row = next(r for r in rows if r[0] == "张三")
    assert row[2] == (cadre.id_number if full else cadre.id_number_masked)
    assert_stamped(book, "exporter")
    assert AuditEntry.objects.filter(actor=user, action="export", object_type="orgs.cadre").exists()


def test_the_exported_roster_still_imports(client, city, admin, tmp_path):
    # the stamp sits on its own sheet, so the data sheet round-trips
    from ganxun.orgs.roster.importer import ImportOptions, run_import

    CadreFactory(unit=city.town_a1, name="张三")
    client.force_login(admin)
    path = tmp_path / "export.xlsx"
    path.write_bytes(client.get("/cadres/export.xlsx").content)
    summary = run_import(path, ImportOptions(root=city.city, actor=admin))
    assert summary.counts["unchanged"] == 1 and not summary.errors


def test_catalog_exports_are_stamped_and_audited(client, admin):
    client.force_login(admin)
    for what in ("courses", "lecturers"):
        assert_stamped(workbook(client.get(f"/catalog/{what}/export.xlsx")), "admin")
    assert AuditEntry.objects.filter(actor=admin, action="export").count() >= 2
