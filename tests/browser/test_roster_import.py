"""A unit contact uploads a messy roster, reads the preview, commits the valid rows as they are and
downloads the error report; the preview also fits a 360 px phone."""

import io
from pathlib import Path

import openpyxl
import pytest

from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD
from tests.orgs.roster_files import HEADERS, person_id, write_xlsx


def messy_roster(path):
    rows = [
        HEADERS,
        ["王  五", "男", person_id(1), "1985.03", "东湖镇", "党委书记", "正科", "13800138000"],
        ["李四", "男", 110105194912310020, "1985.03", "东湖镇", "科员", "正科", ""],
        [],
        ["钱七", "男", person_id(5), "1985年3月", "东湖村", "村主任", "一般干部", ""],
        ["赵六", "男", person_id(7), "", "北桥街道", "", "正科", ""],
        ["填表人：张三"],
    ]
    return write_xlsx(path, rows, titles=("东湖镇干部花名册", "填报日期：2024年6月"))


@pytest.mark.django_db(transaction=True)
def test_upload_preview_commit_and_download_the_error_report(
    city, town_contact, desktop, phone, live_server, tmp_path
):
    # given a unit contact of 东湖镇 on the roster page, with a messy file
    path = messy_roster(tmp_path / "东湖镇花名册.xlsx")
    sign_in(desktop, live_server, town_contact.username, PASSWORD)
    desktop.goto(f"{live_server.url}/cadres/")
    desktop.get_by_test_id("import").click()
    # when the file is uploaded into 东湖镇 as it is
    desktop.get_by_label("名册文件").set_input_files(str(path))
    desktop.get_by_role("button", name="上传并检查").click()
    # then the preview counts two new rows and two errors, errors listed first with reasons
    desktop.get_by_test_id("import-counts").wait_for()
    assert desktop.get_by_test_id("count-new").inner_text().split()[-1] == "2"
    assert desktop.get_by_test_id("count-error").inner_text().split()[-1] == "2"
    rows = desktop.get_by_test_id("import-rows")
    first = rows.locator("tbody tr").first
    assert first.get_attribute("data-status") == "error"
    assert "第 5 行【身份证号】身份证号被保存成了数字" in rows.inner_text()
    assert "北桥街道" in rows.inner_text()
    with unscoped():
        assert Cadre.objects.count() == 0
    # and the preview fits a phone
    phone.context.add_cookies(desktop.context.cookies())
    phone.goto(desktop.url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # when the valid rows are committed without fixing anything
    desktop.once("dialog", lambda dialog: dialog.accept())
    desktop.get_by_test_id("commit").click()
    desktop.get_by_role("heading", name="导入结果：东湖镇花名册.xlsx").wait_for()
    # then the two valid people are on the roster
    with unscoped():
        assert sorted(Cadre.objects.values_list("name", flat=True)) == ["王五", "钱七"]
    # and the error report holds the two bad rows with their reasons
    with desktop.expect_download() as download:
        desktop.get_by_test_id("error-report").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    report = list(book.active.iter_rows(values_only=True))
    assert report[0][-2:] == ("原行号", "错误说明")
    assert [(r[0], r[-2]) for r in report[1:]] == [("李四", 5), ("赵六", 8)]
    assert "文本格式" in report[1][-1]
