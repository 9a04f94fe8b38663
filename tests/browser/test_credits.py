"""A unit contact opens 学时达标, drills into a cadre's 培训档案 and exports the shortfalls."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ganxun.accounts.models import Role
from ganxun.core.scoping import unscoped
from tests.browser.conftest import sign_in
from tests.credits.factories import make_entry, only_rule
from tests.factories import PASSWORD, CadreFactory, make_user


@pytest.mark.django_db(transaction=True)
def test_contact_drills_into_a_record_and_exports_the_shortfalls(city, desktop, live_server):
    # given 10 学时 a year; in 东湖镇 one cadre met it and one has 4 学时
    year = date.today().year
    with unscoped():
        only_rule(amount=Decimal("10"))
        done = CadreFactory(unit=city.town_a1, name="达标者")
        short = CadreFactory(unit=city.village_a1, name="欠学时")
        make_entry(done, date(year, 1, 2), 10, title="春季主体班")
        make_entry(short, date(year, 1, 2), 4, title="村干部轮训")
    make_user(city.town_a1, Role.UNIT_CONTACT, username="contact_b")
    # when the town's contact opens 学时达标
    sign_in(desktop, live_server, "contact_b", PASSWORD)
    desktop.get_by_role("button", name="统计").click()  # 学时达标 stands in the 统计 group
    desktop.get_by_role("link", name="学时达标").click()
    assert "东湖镇" in desktop.get_by_test_id("compliance-title").inner_text()
    assert desktop.get_by_test_id("compliant-count").inner_text() == "1"
    # and drills into the cadre who falls short
    desktop.get_by_test_id("shortfall-cadre").filter(has_text="欠学时").click()
    assert "欠学时 培训档案" in desktop.get_by_test_id("record-title").inner_text()
    assert "村干部轮训" in desktop.get_by_test_id("record-entries").inner_text()
    assert "差 6 学时" in desktop.get_by_test_id("record-gaps").inner_text()
    # then, back on the unit, the shortfalls export downloads as Excel with that cadre
    desktop.go_back()
    with desktop.expect_download() as download:
        desktop.get_by_test_id("export-short").click()
    assert download.value.suggested_filename.endswith("-short.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    names = [row[1] for row in book["未达标人员"].iter_rows(min_row=4, values_only=True)]
    assert "欠学时" in names and "达标者" not in names
