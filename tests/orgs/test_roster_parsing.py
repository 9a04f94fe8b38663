"""Each messy cell form, read from real files: 出生年月 spellings, full-width text, stray spaces,
lowercase x, ID numbers Excel turned into numbers, 15-digit numbers, ranks as people say them."""

from datetime import date, datetime

import pytest

from ganxun.core.scoping import unscoped
from ganxun.orgs.idcard import check_char
from ganxun.orgs.models import Cadre
from ganxun.orgs.roster import parsing
from ganxun.orgs.roster.errors import CellError
from ganxun.orgs.roster.importer import ImportOptions, run_import
from ganxun.orgs.vocab import Vocabulary
from tests.orgs.roster_files import person_id, write_csv, write_xls, write_xlsx

BORN = date(1985, 3, 14)
OCTOBER = date(1985, 10, 2)


def one_row_xlsx(tmp_path, **cells):
    headers = ["姓名", "身份证号", "职级", *cells]
    row = ["王五", cells.pop("身份证号", person_id(1)), "正科", *cells.values()]
    headers = ["姓名", "身份证号", "职级", *cells]
    return write_xlsx(tmp_path / "r.xlsx", [headers, row])


@pytest.mark.parametrize(
    "written",
    [
        "1985.03",
        "1985.3",
        "1985-03",
        "198503",
        "1985年3月",
        "1985年03月14日",
        "1985/3/1",
        "1985-03-14 00:00:00",
        "19850314",
        "3/14/1985",
        "１９８５．０３",
    ],
)
def test_birth_month_spellings_as_text_agree_with_the_id_number(city, tmp_path, written):
    # given 出生年月 written as text in one of the ways rosters write it
    path = one_row_xlsx(tmp_path, 出生年月=written)
    # when previewed
    summary = run_import(path, ImportOptions(root=city.town_a1))
    # then the row is new and has no error
    assert summary.as_json()["errors"] == [] and summary.counts["new"] == 1


@pytest.mark.parametrize(
    ("value", "number_format"),
    [(datetime(1985, 3, 1), "yyyy.mm"), (1985.03, "0.00"), (198503, "0"), (31120, "0")],
)
def test_birth_month_as_excel_dates_and_numbers(city, tmp_path, value, number_format):
    # given 出生年月 as a real Excel date, a number 1985.03, a number 198503, or a bare serial
    headers, row = ["姓名", "身份证号", "职级", "出生年月"], ["王五", person_id(1), "正科", value]
    path = write_xlsx(tmp_path / "r.xlsx", [headers, row], formats={"D2": number_format})
    # then it agrees with the ID number
    assert run_import(path, ImportOptions(root=city.town_a1)).as_json()["errors"] == []


def test_a_number_like_1985_1_is_read_as_january_or_october_as_the_id_number_says(city, tmp_path):
    # given 1985.10 typed as a number (Excel stores 1985.1) for someone born in October
    rows = [
        ["姓名", "身份证号", "职级", "出生年月"],
        ["王五", person_id(1, OCTOBER), "正科", 1985.1],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    # then it is not an error, while the same 1985.1 for someone born in March is
    assert run_import(path, ImportOptions(root=city.town_a1)).errors == []
    rows[1][1] = person_id(1, BORN)
    write_xlsx(path, rows)
    [error] = run_import(path, ImportOptions(root=city.town_a1)).errors
    assert error.column == "出生年月" and "1985-03" in error.message


def test_an_unreadable_or_contradicting_birth_month_names_row_column_and_fix(city, tmp_path):
    rows = [
        ["姓名", "身份证号", "职级", "出生日期"],
        ["王五", person_id(1), "正科", "八五年三月"],
        ["李四", person_id(2), "正科", "1990.03"],
    ]
    summary = run_import(write_xlsx(tmp_path / "r.xlsx", rows), ImportOptions(root=city.town_a1))
    first, second = summary.as_json()["errors"]
    assert first == {
        "row": 2,
        "column": "出生日期",
        "message": "出生年月“八五年三月”无法识别；请写成 1985.03、1985-03-14 或 1985年3月 的形式",
    }
    assert second["row"] == 3 and "与身份证号中的 1985-03 不一致" in second["message"]
    assert "请核对" in second["message"]


def test_full_width_digits_spaces_and_lowercase_x_are_normalised(city, tmp_path):
    # given an ID number ending in X, written full width with a space and a lowercase x
    x_id = "11010519491231002X"
    messy = "１１０１０５ １９４９１２３１００２ｘ"
    rows = [
        ["姓 名", "身份证号码", "职级", "手机号码"],
        [" 欧阳  修 ", messy, "正科", "１３８ ０013 8000"],
    ]
    # when committed
    run_import(write_xlsx(tmp_path / "r.xlsx", rows), ImportOptions(root=city.town_a1, commit=True))
    # then the stored values are clean
    with unscoped():
        cadre = Cadre.objects.get(id_number=x_id)
    assert (cadre.name, cadre.phone, cadre.gender) == ("欧阳修", "13800138000", "F")


def test_id_numbers_excel_stored_as_numbers_are_errors_naming_the_row(city, tmp_path):
    # given ID numbers typed into a numeric cell (18 digits: precision lost) and as 1.10101E+17
    rows = [
        ["姓名", "公民身份号码", "职级"],
        ["王五", 110105194912310020, "正科"],
        ["李四", "1.10101E+17", "正科"],
        ["张三", "330201198503140000", "正科"],
    ]
    summary = run_import(write_xlsx(tmp_path / "r.xlsx", rows), ImportOptions(root=city.town_a1))
    # then each is an error with its Excel row number, and nothing is guessed
    errors = summary.as_json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [
        (2, "公民身份号码"),
        (3, "公民身份号码"),
        (4, "公民身份号码"),
    ]
    assert "保存成了数字" in errors[0]["message"] and "文本格式" in errors[0]["message"]
    assert "科学计数法" in errors[1]["message"]
    assert "末尾是 000" in errors[2]["message"]
    assert summary.counts["new"] == 0


def test_fifteen_digit_numbers_are_upgraded_even_when_stored_as_numbers(city, tmp_path):
    # given a legacy 15-digit number as text and another stored as a number (exact in Excel)
    rows = [
        ["姓名", "身份证号", "职级"],
        ["甲", "110105491231002", "正科"],
        ["乙", 110105491231011, "正科"],
    ]
    run_import(write_xlsx(tmp_path / "r.xlsx", rows), ImportOptions(root=city.town_a1, commit=True))
    # then both are stored as 18-digit numbers with the century and check character
    with unscoped():
        stored = set(Cadre.objects.values_list("id_number", flat=True))
    assert stored == {"11010519491231002X", "11010519491231011" + check_char("11010519491231011")}


def test_a_gender_that_contradicts_the_id_number_is_an_error(city, tmp_path):
    rows = [["姓名", "性别", "身份证号", "职级"], ["王五", "女", person_id(1), "正科"]]
    [error] = run_import(
        write_xlsx(tmp_path / "r.xlsx", rows), ImportOptions(root=city.town_a1)
    ).errors
    assert error.column == "性别" and "第17位" in error.message


def test_text_markers_csv_users_add_to_keep_id_numbers_as_text_are_removed(city, tmp_path):
    # given a CSV where ID numbers were written as ="…" and '…
    rows = [
        ["姓名", "身份证号", "职级"],
        ["甲", f'="{person_id(1)}"', "正科"],
        ["乙", f"'{person_id(2)}", "正科"],
    ]
    path = write_csv(tmp_path / "r.csv", rows)
    assert run_import(path, ImportOptions(root=city.town_a1)).as_json()["new"] == 2


def test_an_xls_with_a_real_date_and_numbers_reads_like_an_xlsx(city, tmp_path):
    rows = [
        ["姓名", "身份证号", "出生年月", "职级", "手机"],
        ["王五", person_id(1), BORN, "正科", 13800138000],
    ]
    path = write_xls(tmp_path / "r.xls", rows, titles=("名册",))
    run_import(path, ImportOptions(root=city.town_a1, commit=True))
    with unscoped():
        assert Cadre.objects.get().phone == "13800138000"


@pytest.mark.parametrize(
    ("word", "rank"),
    [
        ("正科", "section_main"),
        ("副处级", "county_deputy"),
        ("一级主任科员", "section_main"),
        ("四级调研员", "county_deputy"),
        ("乡科级副职", "section_deputy"),
        ("科员", "general"),
        ("正 科", "section_main"),
        ("正科级", "section_main"),
        ("管理八级", "section_deputy"),
        ("管理８级", "section_deputy"),
        ("管理岗位五级 ", "county_main"),
        ("管理岗7级", "section_main"),
        ("专技十级", "general"),
        ("专业技术岗位十三级", "general"),
        ("试用期", "general"),
        ("未定级", "general"),
        ("技术工二级", "general"),
        ("二级巡视员", "bureau_deputy"),
    ],
)
@pytest.mark.django_db
def test_ranks_as_offices_write_them_in_every_system(word, rank):
    assert parsing.rank(word, Vocabulary()).level == rank


@pytest.mark.django_db
def test_an_unknown_rank_lists_what_is_accepted_per_system():
    with pytest.raises(CellError) as exc:
        parsing.rank("处长", Vocabulary())
    message = str(exc.value)
    assert "领导职务：" in message and "乡科级正职" in message
    assert "事业单位管理岗位：管理一级至管理十级" in message


@pytest.mark.parametrize("value", ["138-0013-8000 / 139-0000-0000", "138abc"])
def test_phones_that_cannot_be_stored_are_explained(value):
    with pytest.raises(CellError, match="请"):
        parsing.phone(value)
