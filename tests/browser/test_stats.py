"""An admin opens the statistics dashboard, drills from the city to a county and downloads the
county's tables as Excel."""

import io
from pathlib import Path

import openpyxl
import pytest

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD
from tests.stats import dataset


@pytest.mark.django_db(transaction=True)
def test_admin_drills_from_city_to_county_and_downloads_the_export(
    city, admin, desktop, live_server
):
    # given the known 2030 dataset
    dataset.build(city, admin)
    sign_in(desktop, live_server, admin.username, PASSWORD)
    # when the admin opens 统计报表 and picks 2030
    desktop.get_by_test_id("nav").get_by_role("button", name="统计").click()
    desktop.get_by_test_id("nav").get_by_role("link", name="统计报表").click()
    desktop.goto(f"{live_server.url}/stats/?org={city.city.pk}&year=2030")
    # then the city's figures and its charts are shown
    assert desktop.get_by_test_id("h-person-times").inner_text() == "6"
    assert desktop.locator("#chart-units canvas").count() == 1
    # when the admin drills into 东江县
    desktop.get_by_test_id("table-units").get_by_role("link", name="东江县").click()
    # then the county's own figures and its towns are shown
    assert "东江县" in desktop.get_by_test_id("stats-title").inner_text()
    assert desktop.get_by_test_id("h-person-times").inner_text() == "5"
    assert "东湖镇" in desktop.get_by_test_id("table-units").inner_text()
    # and the export downloads the county's tables
    with desktop.expect_download() as download:
        desktop.get_by_test_id("export-stats").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    units = next(ws for ws in book.worksheets if ws.title.endswith("按单位"))
    names = [row[0] for row in units.iter_rows(min_row=5, values_only=True)]
    assert "东湖镇" in names and "南岭乡" in names
