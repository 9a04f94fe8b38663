"""Reading files as offices send them: the type from the content, encodings, title rows, merged
and two-row headers, columns in any order, notes below the table — and bad input refused with a
clear message."""

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ganxun.orgs.roster.errors import RosterFileError
from ganxun.orgs.roster.headers import FIELDS, locate_header
from ganxun.orgs.roster.importer import ImportOptions, open_roster, run_import
from ganxun.orgs.roster.reading import MAX_BYTES, open_tables, sniff
from tests.orgs.roster_files import HEADERS, person_id, write_csv, write_xls, write_xlsx

DATA = Path(__file__).resolve().parent.parent / "data"


def refusal(path) -> RosterFileError:
    with pytest.raises(RosterFileError) as exc:
        open_roster(path)
    return exc.value


def test_calamine_rows_are_numbered_from_the_first_row_of_the_sheet(tmp_path):
    # given a sheet whose data starts at C5 (the importer's row numbers rely on this)
    path = write_xlsx(tmp_path / "r.xlsx", [[], [], [], [None, None, "姓名"], [None, None, "王五"]])
    # then the rows come out numbered as Excel shows them, columns from the first used one
    rows = [(n, cells) for n, cells in next(open_tables(path)).rows if any(cells)]
    assert rows == [(4, ["姓名"]), (5, ["王五"])]
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).start == (3, 2)


def test_header_under_merged_title_rows_in_any_column_order_with_synonyms(tmp_path):
    # given two merged titles and a header with synonyms in an unusual order
    header = [
        "序号",
        "手机号码",
        "公民身份号码",
        "现任职务",
        "工作单位",
        "姓 名",
        "级别",
        "出生日期",
    ]
    path = write_xlsx(tmp_path / "r.xlsx", [header], titles=("干部花名册", "（截至2024年6月）"))
    _, found, _ = open_roster(path)
    # then the header is row 3, each field at its column, labels as written
    assert found.row == 3
    assert {f: (c.index, c.label) for f, c in found.columns.items()} == {
        "phone": (1, "手机号码"),
        "id_number": (2, "公民身份号码"),
        "position": (3, "现任职务"),
        "unit": (4, "工作单位"),
        "name": (5, "姓 名"),
        "rank": (6, "级别"),
        "birth": (7, "出生日期"),
    }


@pytest.mark.parametrize("merged", [True, False])
def test_a_two_row_header_is_read_with_or_without_merged_cells(city, tmp_path, merged):
    # given "基本信息"/"工作信息" over the columns, 姓名 etc. merged down over both rows (or not)
    top = ["姓名", "身份证号", "工作信息", "", ""]
    bottom = (
        ["", "", "单位", "职务", "职级"]
        if not merged
        else ["姓名", "身份证号", "单位", "职务", "职级"]
    )
    rows = [top, bottom, ["王五", person_id(1), "东湖镇", "科员", "正科"]]
    merges = ("A2:A3", "B2:B3", "C2:E2") if merged else ()
    if merged:
        rows[1][:2] = ["", ""]
    path = write_xlsx(tmp_path / "r.xlsx", rows, titles=("名册",), merges=merges)
    # when imported
    summary = run_import(path, ImportOptions(root=city.town_a1))
    # then the header ends on row 3, data starts on row 4, all five fields are mapped
    assert summary.header_row == 3
    assert set(summary.columns) == {"name", "id_number", "unit", "position", "rank"}
    assert summary.as_json() == {"rows": 1, "new": 1, "updated": 0, "unchanged": 0, "errors": []}


def test_blank_rows_repeated_headers_merged_units_and_notes_below_are_skipped(city, tmp_path):
    # given a unit written once and merged down over its people, a blank row, the header repeated
    # for a second printed page, and the usual notes at the bottom
    rows = [
        ["姓名", "身份证号", "单位", "职级"],
        ["甲", person_id(1), "东湖镇", "正科"],
        ["乙", person_id(2), "", "正科"],
        [],
        ["姓名", "身份证号", "单位", "职级"],
        ["丙", person_id(3), "东湖村", "正科"],
        ["合计：3 人"],
        ["填表人：张三", "", "联系电话：13800138000"],
        ["制表日期：2024年6月1日"],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows, merges=("C2:C3",))
    summary = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    # then exactly three people were read, 乙 in 东湖镇 through the merged cell
    assert summary.as_json() == {"rows": 3, "new": 3, "updated": 0, "unchanged": 0, "errors": []}


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [("gbk", ","), ("utf-8", ","), ("utf-8-sig", ","), ("utf-16", "\t"), ("gb18030", ";")],
)
def test_csv_in_the_encodings_chinese_office_software_writes(city, tmp_path, encoding, sep):
    rows = [HEADERS, ["王五", "男", person_id(1), "1985.03", "东湖镇", "党委书记", "正科", ""]]
    path = write_csv(tmp_path / "r.csv", rows, encoding=encoding, sep=sep)
    summary = run_import(path, ImportOptions(root=city.town_a1))
    assert summary.as_json()["new"] == 1 and summary.columns["position"] == "职务"


def test_the_type_is_sniffed_from_the_content_not_the_name(tmp_path):
    rows = [HEADERS]
    assert sniff(write_xlsx(tmp_path / "really-xlsx.xls", rows)) == "xlsx"
    assert sniff(write_xls(tmp_path / "really-xls.xlsx", rows)) == "xls"
    assert sniff(write_csv(tmp_path / "really-csv.xlsx", rows, encoding="gbk")) == "csv"


def test_an_encrypted_workbook_is_refused_with_the_fix(tmp_path):
    assert refusal(DATA / "roster-encrypted.xlsx").message == "文件已加密，请取消密码后再导入。"


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"", "empty_file", "空的"),
        (b"%PDF-1.4\n\x00\x01\x02binary", "not_spreadsheet", "不是 Excel"),
        (b"PK\x03\x04 truncated zip", "not_spreadsheet", "损坏"),
        (b"<html><table><tr><td>x</td></tr></table></html>", "html_as_xls", "另存为 .xlsx"),
        (bytes(range(128, 256)) * 10, "not_spreadsheet", "GBK"),
    ],
)
def test_files_that_are_not_rosters_are_refused_with_a_reason(tmp_path, content, code, words):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    error = refusal(path)
    assert error.code == code and words in error.message


def test_a_hundred_megabytes_of_junk_is_refused_by_size_without_reading_it(tmp_path):
    path = tmp_path / "junk.xlsx"
    with path.open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: costs nothing to make
    error = refusal(path)
    assert error.code == "file_too_large" and f"{MAX_BYTES // 1024 // 1024} MB" in error.message


def test_an_empty_sheet_and_a_sheet_without_a_header_say_what_was_expected(tmp_path):
    empty = refusal(write_xlsx(tmp_path / "e.xlsx", []))
    assert empty.code == "empty_sheet" and "干部花名册" in empty.message
    other = refusal(write_xlsx(tmp_path / "o.xlsx", [["项目", "金额"], ["办公费", 300]]))
    assert other.code == "no_header"
    assert all(FIELDS[f][0] in other.message for f in FIELDS)


def test_the_first_sheet_with_a_header_is_used(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active["A1"] = "本表由各单位填报"
    book.create_sheet("名册").append(["姓名", "身份证号"])
    book.save(tmp_path / "r.xlsx")
    table, header, _ = open_roster(tmp_path / "r.xlsx")
    assert (table.name, header.row) == ("名册", 1)


def test_locate_header_reports_the_labels_of_every_column(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [["序号", "姓名", "身份证号", "政治面貌"]])
    header, _ = locate_header(next(open_tables(path)))
    assert header.labels == ["序号", "姓名", "身份证号", "政治面貌"]
