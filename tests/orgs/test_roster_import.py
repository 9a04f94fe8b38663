"""The import end to end on real files: preview writes nothing, commit writes whole rows, a second
commit of the same file writes nothing, and the importer's scope is enforced."""

from datetime import date

import pytest
from django.db import connection

from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre, CadreCategory, Org
from ganxun.orgs.roster.importer import ImportOptions, run_import
from tests.factories import CadreFactory
from tests.orgs.roster_files import HEADERS, person_id, write_csv, write_xls, write_xlsx


def cadre_count() -> int:
    with unscoped():
        return Cadre.objects.count()


def cadre(id_number: str) -> Cadre:
    with unscoped():
        return Cadre.objects.select_related("unit").get(id_number=id_number)


class WriteCounter:
    """Counts INSERT/UPDATE/DELETE statements sent to the database."""

    def __init__(self):
        self.writes = []

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            self.writes.append(sql)
        return execute(sql, params, many, context)


def audited_creations() -> set[int]:
    """The cadres the import's batch entries in the audit log say they created."""
    entries = AuditEntry.objects.filter(object_type="orgs.cadre", object_id="import-batch")
    return {pk for e in entries for pk, _ in e.changes["created"][1]}


def messy_rows():
    """What a township office really sends: spaces in names, full-width digits, a lowercase x,
    出生年月 in four spellings, ranks as people say them, a blank row in the middle."""
    return [
        HEADERS,
        ["王  五", "男", person_id(1), "1985.03", "东湖镇", "党委书记", "正科", "13800138000"],
        ["李 娜", "女", person_id(2, male=False), "1985年3月", "东湖村", "村主任", "一般干部", ""],
        [],
        ["赵敏", "", "３３０２０１" + person_id(3)[6:], "198503", "东湖镇", "科员", "科员", ""],
        [
            "钱七",
            "男",
            person_id(5)[:-1] + person_id(5)[-1].lower(),
            "1985-03",
            "东湖镇",
            "",
            "副科",
            "",
        ],
    ]


def test_preview_reads_a_messy_sheet_and_writes_nothing(city, tmp_path):
    # given an .xlsx with two merged title rows above the header and messy cells
    path = write_xlsx(
        tmp_path / "r.xlsx", messy_rows(), titles=("东湖镇干部花名册", "填报单位：东湖镇")
    )
    # when it is previewed
    summary = run_import(path, ImportOptions(root=city.town_a1))
    # then every person is new, the header was found under the titles, and nothing was written
    assert summary.as_json() == {"rows": 4, "new": 4, "updated": 0, "unchanged": 0, "errors": []}
    assert summary.header_row == 3
    assert cadre_count() == 0


def test_commit_writes_clean_values_and_a_second_commit_writes_nothing(city, tmp_path):
    # given a messy roster committed once
    path = write_xlsx(tmp_path / "r.xlsx", messy_rows())
    first = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    assert first.counts["new"] == 4
    # then the values are normalised
    wang = cadre(person_id(1))
    assert (wang.name, wang.gender, wang.rank, wang.unit, wang.phone) == (
        "王五",
        "M",
        "section_main",
        city.town_a1,
        "13800138000",
    )
    assert wang.birth_date == date(1985, 3, 14)
    assert cadre(person_id(2, male=False)).unit == city.village_a1
    assert cadre(person_id(5)).rank == "section_deputy"
    # when the same file is committed again
    counter = WriteCounter()
    with connection.execute_wrapper(counter):
        second = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    # then every row is unchanged and not one write reached the database
    assert second.as_json()["unchanged"] == 4
    assert counter.writes == []


def test_changed_rows_update_only_what_changed_and_are_audited(city, admin, tmp_path):
    # given a cadre already on the roster
    existing = CadreFactory(unit=city.town_a1, name="王五", id_number=person_id(1), position="科员")
    rows = [HEADERS, ["王五", "男", person_id(1), "1985.03", "东湖镇", "副镇长", "乡科级正职", ""]]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    # when the roster with a new position is committed
    summary = run_import(path, ImportOptions(root=city.town_a1, actor=admin, commit=True))
    # then the row is an update of 职务 only, and the audit log says so
    assert summary.counts["update"] == 1
    existing.refresh_from_db()
    assert existing.position == "副镇长"
    entry = AuditEntry.objects.get(object_type="orgs.cadre", object_id=str(existing.pk))
    assert entry.changes == {"position": ["科员", "副镇长"]}
    assert AuditEntry.objects.filter(object_id="import", actor=admin).count() == 1


def test_an_existing_cadre_outside_the_scope_is_an_error_not_an_update(city, tmp_path):
    # given a cadre registered in 北桥街道 (another county)
    CadreFactory(unit=city.town_b1, id_number=person_id(1), position="科员")
    rows = [HEADERS, ["王五", "男", person_id(1), "", "东湖镇", "副镇长", "正科", ""]]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    # when 东湖镇's roster lists the same ID number
    summary = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    # then the row is refused, naming where the person is registered
    [error] = summary.as_json()["errors"]
    assert error["row"] == 2 and error["column"] == "身份证号"
    assert "北桥街道" in error["message"] and "不在您的管理范围内" in error["message"]
    assert cadre(person_id(1)).position == "科员"


def test_units_outside_the_importers_subtree_are_errors(city, tmp_path):
    # given a unit contact's scope (东湖镇) and a row for 北桥街道
    rows = [HEADERS, ["王五", "男", person_id(1), "", "北桥街道", "", "正科", ""]]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    # when imported into 东湖镇
    summary = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    # then nothing is written and the message says the unit is out of scope
    assert "不在导入范围" in summary.errors[0].message
    assert cadre_count() == 0


def test_units_match_by_abbreviation_and_ambiguous_names_are_explained(city, tmp_path):
    # given 东江县委 under 东江县, and two 党政办 in two towns
    Org_party = _org(city.county_a, "东江县委")
    _org(city.town_a1, "党政办")
    _org(city.town_a2, "党政办")
    rows = [
        HEADERS,
        ["甲", "", person_id(1), "", "中共东江县委员会", "", "正科", ""],
        ["乙", "", person_id(2), "", "党政办", "", "正科", ""],
        ["丙", "", person_id(3), "", "东江县南岭乡", "", "正科", ""],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    # when imported into the county
    summary = run_import(path, ImportOptions(root=city.county_a, commit=True))
    # then the long party name matches, the parent-prefixed name matches, and 党政办 is ambiguous
    assert cadre(person_id(1)).unit == Org_party
    assert cadre(person_id(3)).unit == city.town_a2
    [error] = summary.errors
    assert error.row == 3 and "有 2 个" in error.message and "东湖镇" in error.message


def _org(parent, name):
    from tests.factories import make_org

    return make_org(parent, name=name, level="department")


def test_missing_units_are_created_under_the_chosen_parent_when_asked(city, admin, tmp_path):
    # given a roster naming a unit that does not exist yet
    rows = [HEADERS, ["甲", "", person_id(1), "", "东湖镇综合执法队", "", "正科", ""]]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    # when previewed without the option, it is an error; with it, the row is new
    plain = run_import(path, ImportOptions(root=city.town_a1))
    assert plain.counts["error"] == 1 and "找不到单位" in plain.errors[0].message
    options = ImportOptions(root=city.town_a1, actor=admin, create_units_under=city.town_a1)
    assert run_import(path, options).counts["new"] == 1
    # when committed with the option, the unit is created under the parent and used
    options.commit = True
    summary = run_import(path, options)
    with unscoped():
        unit = Org.objects.get(name="东湖镇综合执法队")
    assert unit.parent == city.town_a1 and unit.is_within(city.town_a1)
    assert cadre(person_id(1)).unit == unit
    assert summary.created_units == ["东湖镇综合执法队"]
    # and a second commit finds the unit instead of creating another
    assert run_import(path, options).counts["unchanged"] == 1


def test_categories_are_matched_and_unknown_ones_explained(city, tmp_path):
    young = CadreCategory.objects.create(code="young", name="年轻干部")
    reserve = CadreCategory.objects.create(code="reserve", name="后备干部")
    rows = [
        ["姓名", "身份证号", "职级", "人员类别"],
        ["甲", person_id(1), "正科", "年轻干部、后备干部"],
        ["乙", person_id(2), "正科", "优秀干部"],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    summary = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    assert set(cadre(person_id(1)).categories.all()) == {young, reserve}
    assert summary.errors[0].column == "人员类别" and "优秀干部" in summary.errors[0].message
    # a second commit sees the same categories as unchanged
    assert run_import(path, ImportOptions(root=city.town_a1, commit=True)).counts["unchanged"] == 1


def test_the_same_roster_as_xls_and_gbk_csv_imports_the_same(city, tmp_path):
    # given one roster saved as .xls (with a merged title) and as a GBK CSV
    rows = messy_rows()
    xls = write_xls(tmp_path / "r.xls", rows, titles=("东湖镇干部花名册",))
    csv = write_csv(tmp_path / "r.csv", rows, encoding="gbk")
    # when both are previewed
    results = [run_import(p, ImportOptions(root=city.town_a1)).as_json() for p in (xls, csv)]
    # then both read four new people without errors
    assert (
        results[0]
        == results[1]
        == {"rows": 4, "new": 4, "updated": 0, "unchanged": 0, "errors": []}
    )


def test_an_injected_failure_mid_commit_leaves_whole_rows_and_a_rerun_finishes(
    city, tmp_path, monkeypatch
):
    # given a roster of 5 chunks of 3 rows, and a writer that fails on the third chunk
    from ganxun.orgs.roster import commit, importer

    monkeypatch.setattr(importer, "CHUNK", 3)
    young = CadreCategory.objects.create(code="young", name="年轻干部")
    rows = [["姓名", "身份证号", "职级", "人员类别"]]
    rows += [[f"干部{i}", person_id(i), "正科", "年轻干部"] for i in range(15)]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    real_audit, calls = commit.Writer._audit, []

    def failing_audit(self, inserted, updated):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("process died")
        real_audit(self, inserted, updated)

    monkeypatch.setattr(commit.Writer, "_audit", failing_audit)
    # when the commit dies in its third chunk (after that chunk's cadres were inserted)
    with pytest.raises(RuntimeError):
        run_import(path, ImportOptions(root=city.town_a1, commit=True))
    # then exactly the first two chunks are there, each row whole (category and audit entry)
    with unscoped():
        written = list(Cadre.objects.prefetch_related("categories"))
    assert len(written) == 6
    assert all(list(c.categories.all()) == [young] for c in written)
    assert audited_creations() == {c.pk for c in written}
    # when the import is run again, it skips what was written and finishes the rest
    monkeypatch.setattr(commit.Writer, "_audit", real_audit)
    summary = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    assert (summary.counts["unchanged"], summary.counts["new"]) == (6, 9)
    assert cadre_count() == 15 and len(audited_creations()) == 15


def test_an_exported_roster_imports_back_unchanged(city, admin, cadres, tmp_path):
    # given the roster as the existing export writes it (dates as dates, labels in Chinese)
    from ganxun.orgs.exports import write_roster_xlsx
    from ganxun.orgs.selectors import CadreFilters, cadre_search

    path = tmp_path / "export.xlsx"
    path.write_bytes(write_roster_xlsx(admin, cadre_search(admin, CadreFilters())))
    # when it is imported back into the whole city
    counter = WriteCounter()
    with connection.execute_wrapper(counter):
        summary = run_import(path, ImportOptions(root=city.city, actor=admin, commit=True))
    # then every person is recognised as unchanged and nothing is written
    assert summary.counts == {"new": 0, "update": 0, "unchanged": 4, "error": 0}
    assert counter.writes == []
