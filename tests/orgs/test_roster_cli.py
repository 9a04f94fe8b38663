"""`ganxun import-roster`: the operator's command, its JSON shape, no writes without --commit."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre, Org
from tests.orgs.roster_files import HEADERS, person_id, write_csv, write_xlsx


def run(*args) -> dict:
    out = StringIO()
    call_command("import-roster", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def roster(tmp_path):
    rows = [
        HEADERS,
        ["王五", "男", person_id(1), "1985.03", "东湖镇", "科员", "正科", ""],
        ["李四", "男", 110105194912310020, "", "东湖镇", "", "正科", ""],
        ["赵六", "男", person_id(3), "", "东湖镇新区办", "", "正科", ""],
    ]
    return write_xlsx(tmp_path / "r.xlsx", rows, titles=("东湖镇干部花名册",))


def count() -> int:
    with unscoped():
        return Cadre.objects.count()


def test_json_preview_has_the_exact_shape_and_writes_nothing(city, roster):
    # when previewed with --json
    body = run(str(roster), "--org", city.town_a1.code, "--json")
    # then one object with the documented keys, errors with Excel row and header as in the file
    assert list(body) == ["rows", "new", "updated", "unchanged", "errors"]
    assert (body["rows"], body["new"], body["updated"], body["unchanged"]) == (3, 1, 0, 0)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(4, "身份证号"), (5, "单位")]
    assert all(set(e) == {"row", "column", "message"} for e in body["errors"])
    assert count() == 0


def test_commit_writes_valid_rows_as_system_and_a_rerun_changes_nothing(city, roster):
    body = run(str(roster), "--org", city.town_a1.code, "--commit", "--json")
    assert body["new"] == 1 and count() == 1
    entry = AuditEntry.objects.get(object_id="import")
    assert entry.actor is None and entry.actor_name == "system" and entry.channel == "cli"
    again = run(str(roster), "--org", city.town_a1.code, "--commit", "--json")
    assert (again["new"], again["unchanged"]) == (0, 1)
    assert AuditEntry.objects.filter(object_id="import").count() == 1


def test_create_units_makes_missing_units_under_the_org(city, roster):
    body = run(str(roster), "--org", city.town_a1.code, "--commit", "--create-units", "--json")
    assert body["new"] == 2
    with unscoped():
        assert Org.objects.get(name="东湖镇新区办").parent == city.town_a1


def test_the_org_limits_the_scope(city, tmp_path):
    rows = [HEADERS, ["王五", "男", person_id(1), "", "北桥街道", "", "正科", ""]]
    path = write_csv(tmp_path / "r.csv", rows, encoding="gbk")
    body = run(str(path), "--org", city.town_a1.code, "--commit", "--json")
    assert body["errors"][0]["column"] == "单位" and count() == 0


def test_a_bad_file_or_org_is_a_clear_error(city, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01" * 100)
    out = StringIO()
    with pytest.raises(CommandError, match="不是 Excel"):
        call_command("import-roster", str(junk), "--org", city.town_a1.code, "--json", stdout=out)
    assert json.loads(out.getvalue())["errors"][0]["row"] is None
    with pytest.raises(CommandError, match="没有编码为 NOPE"):
        call_command("import-roster", str(junk), "--org", "NOPE")


def test_plain_output_is_chinese_and_says_it_was_only_a_preview(city, roster):
    out = StringIO()
    call_command("import-roster", str(roster), "--org", city.town_a1.code, stdout=out)
    text = out.getvalue()
    assert "新增 1" in text and "第 4 行【身份证号】" in text and "未写入任何数据" in text


def test_the_console_command_has_help():
    result = subprocess.run(
        [sys.executable, "-m", "ganxun.config.cli", "import-roster", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--create-units" in result.stdout and "--commit" in result.stdout
