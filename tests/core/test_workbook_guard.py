"""Hostile spreadsheets are refused in Chinese before any parser allocates for them — through every
import path (roster, courses/faculty, credit records) — and a long CSV cell is read, not a crash.

The hostile files are generated here (a dimension bomb, a far cell, a zip bomb, a sheet whose
cells carry no references), never shipped."""

import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from ganxun.accounts.models import Role
from ganxun.core import workbook_guard
from ganxun.core.jobs import run_job
from ganxun.core.models import Job
from ganxun.orgs.roster.errors import RosterFileError
from ganxun.orgs.roster.reading import open_tables
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def far_cell(path: Path, row: int, col: int) -> Path:
    """A tiny workbook: a normal header and one row, plus one cell far away."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名册")
    sheet.write_row(0, 0, ["姓名", "身份证号", "单位"])
    sheet.write_row(1, 0, ["王五", "110101198001010011", "东湖镇"])
    sheet.write_string(row, col, "x")
    book.close()
    return path


def zip_bomb(path: Path, megabytes: int) -> Path:
    """A valid-looking .xlsx whose one sheet is ``megabytes`` of repetitive XML."""
    row = b'<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>'
    body = row * (megabytes * 1024 * 1024 // len(row))
    sheet = b'<worksheet xmlns="x"><sheetData>' + body + b"</sheetData></worksheet>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "xl/workbook.xml", '<workbook><sheets><sheet name="s" r:id="rId1"/></sheets></workbook>'
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def refused(path: Path) -> RosterFileError:
    started = time.monotonic()
    with pytest.raises(RosterFileError) as exc:
        for table in open_tables(path):
            for _ in table.rows:
                pass
    assert time.monotonic() - started < 60  # streamed, not parsed (seconds on a busy box)
    return exc.value


def test_a_1_7_kb_workbook_with_a_cell_at_xfd1048576_is_refused_in_words(tmp_path):
    path = far_cell(tmp_path / "bomb.xlsx", 1048575, 16383)
    assert path.stat().st_size < 10_000
    error = refused(path)
    assert error.code == "sheet_too_large"
    assert "第 1048576 行、第 16384 列" in error.message and "Ctrl+End" in error.message


def test_a_cell_at_j5000000_is_refused(tmp_path):
    # given a hand-made sheet (Excel itself stops at row 1,048,576; calamine does not)
    path = tmp_path / "far.xlsx"
    sheet = (
        '<worksheet><dimension ref="A1:C2"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
        '<row r="5000000"><c r="J5000000"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    # then the declared dimension (A1:C2) is not believed
    error = refused(path)
    assert error.code == "sheet_too_large" and "第 5000000 行、第 10 列" in error.message


def test_cells_without_references_are_placed_by_their_order(tmp_path):
    # given a sheet whose rows and cells leave out their r="" references (allowed by the format)
    cells = b"<c><v>1</v></c>" * 2000
    rows = b"".join(b"<row>" + cells + b"</row>" for _ in range(5000))
    path = tmp_path / "noref.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr(
            "xl/worksheets/sheet1.xml",
            b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>",
        )
    # then its 5000 × 2000 grid counts, though no cell names a far position
    assert refused(path).code in ("sheet_too_large", "workbook_too_large", "workbook_suspicious")


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path):
    path = zip_bomb(tmp_path / "zip.xlsx", 30)
    assert path.stat().st_size < 1024 * 1024
    assert refused(path).code == "workbook_suspicious"


def test_too_much_uncompressed_data_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_guard, "MAX_UNCOMPRESSED", 2 * 1024 * 1024)
    monkeypatch.setattr(workbook_guard, "MAX_RATIO", 10_000)
    assert refused(zip_bomb(tmp_path / "big.xlsx", 3)).code == "workbook_too_large"


def test_an_ordinary_roster_still_reads(tmp_path):
    path = far_cell(tmp_path / "ok.xlsx", 2, 2)
    rows = [cells for _, cells in next(open_tables(path)).rows]
    assert rows[0] == ["姓名", "身份证号", "单位"] and rows[2][2] == "x"


def test_a_csv_cell_over_128_kb_is_read_whole(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("姓名,备注\n王五," + "长" * 200_000 + "\n", encoding="utf-8")
    rows = [cells for _, cells in next(open_tables(path)).rows]
    assert len(rows[1][1]) == 200_000


def test_a_malformed_csv_is_refused_in_words(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes('姓名,备注\n王五,"a\x00b"\n'.encode())
    with pytest.raises(RosterFileError) as exc:
        for _ in next(open_tables(path)).rows:
            pass
    assert exc.value.code in ("unreadable", "not_spreadsheet")


@pytest.mark.django_db
@pytest.mark.parametrize("path_name", ["roster", "courses", "lecturers", "credits"])
def test_every_import_path_refuses_the_bomb_with_a_chinese_message(tmp_path, city, path_name):
    from ganxun.catalog.importing import run as catalog_import
    from ganxun.credits import importing as credit_import
    from ganxun.orgs.roster.jobs import roster_preview_start

    admin = make_user(city.city, Role.ADMIN, username="importer")
    bomb = far_cell(tmp_path / "bomb.xlsx", 1048575, 16383)
    if path_name == "roster":
        job = roster_preview_start(actor=admin, path=bomb, filename="b.xlsx", root=city.city)
    elif path_name == "credits":
        job = credit_import.import_start(
            actor=admin, path=bomb, filename="b.xlsx", platform="干部网络学院"
        )
    else:
        job = catalog_import.import_start(actor=admin, what=path_name, path=bomb, filename="b.xlsx")
    run_job.call(str(job.pk))
    job = Job.objects.get(pk=job.pk)
    assert job.status == Job.Status.FAILED
    assert "第 1048576 行" in job.message and "任务出错" not in job.message


def test_no_import_reads_a_spreadsheet_around_the_guarded_reader():
    """Every calamine/openpyxl/xlrd/csv reader lives in orgs/roster/reading.py, behind the guard."""
    pattern = re.compile(r"CalamineWorkbook|load_workbook|xlrd\.open|csv\.reader|csv\.DictReader")
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "ganxun").rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8")) and p.name != "reading.py"
    ]
    assert offenders == []


@pytest.mark.skipif(sys.platform != "linux", reason="address-space limit")
def test_the_bomb_does_not_kill_a_process_with_a_memory_bound(tmp_path):
    # given a process limited to 1.5 GB of address space (the unguarded reader asks for 549 GB)
    bomb = far_cell(tmp_path / "bomb.xlsx", 1048575, 16383)
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))\n"
        "from pathlib import Path\n"
        "from ganxun.orgs.roster.reading import open_tables\n"
        "from ganxun.orgs.roster.errors import RosterFileError\n"
        "try:\n"
        f"    [list(t.rows) for t in open_tables(Path({str(bomb)!r}))]\n"
        "except RosterFileError as e:\n"
        "    print(e.code)\n"
    )
    env = {"PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    # then it is refused, and the process lives to say so
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "sheet_too_large"
