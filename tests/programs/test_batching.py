"""The batch solver on crafted instances: no database, fixed seed, one worker."""

import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ganxun.programs.batching import (
    BatchInputError,
    Person,
    make_instance,
    parse_instance,
    solve,
    violations,
)


def unit(name, size, *, leaders=True):
    """A unit of ``size`` trainees: a secretary and a head first, then members."""
    roles = ["secretary", "head"] if leaders else []
    roles += ["member"] * (size - len(roles))
    return [Person(f"{name}-{i}", name, role) for i, role in enumerate(roles)]


def run(people, **kw):
    return solve(make_instance(people, **kw), workers=1, seed=0, time_limit=10)


def per_unit(result, people):
    counts = Counter((p.unit, result.batches[p.id]) for p in people)
    return counts


def test_leaders_go_to_different_batches_and_each_unit_keeps_its_share_on_duty():
    # given three townships of 5, 6 and 10 trainees, each with its secretary and head
    people = unit("东湖镇", 5) + unit("南岭乡", 6) + unit("北桥街道", 10)
    # when they are split into 2 batches keeping 40 % on duty
    result = run(people, batches=2, min_on_duty=0.4)
    # then the split is optimal, leaders are apart, no batch takes more than 60 % of a unit
    assert result.status == "optimal"
    assert len(result.batches) == 21
    for name, size in (("东湖镇", 5), ("南岭乡", 6), ("北桥街道", 10)):
        assert result.batches[f"{name}-0"] != result.batches[f"{name}-1"]
        counts = per_unit(result, people)
        assert max(counts[name, 0], counts[name, 1]) <= size - -(-4 * size // 10)
    # and the batches are as even as 21 people allow
    assert sorted(result.sizes) == [10, 11]


def test_three_batches_keep_every_pair_of_leaders_apart():
    people = unit("东湖镇", 9) + unit("南岭乡", 9)
    result = run(people, batches=3, min_on_duty=0.5)
    assert result.status == "optimal"
    assert result.sizes == [6, 6, 6]
    for name in ("东湖镇", "南岭乡"):
        assert result.batches[f"{name}-0"] != result.batches[f"{name}-1"]


def test_capacity_is_respected_even_when_it_unbalances_the_batches():
    people = unit("东湖镇", 10) + unit("南岭乡", 10)
    result = run(people, batches=2, min_on_duty=0.4, capacity=[12, 8])
    assert result.status == "optimal"
    assert result.sizes == [12, 8]


def test_a_unit_too_small_for_the_on_duty_share_is_named_with_its_numbers():
    # given a unit of 2 trainees and 60 % to stay on duty: nobody may leave, in any batch
    people = [*unit("东湖镇", 6), Person("a", "南岭乡"), Person("b", "南岭乡")]
    result = run(people, batches=3, min_on_duty=0.6)
    assert result.status == "infeasible"
    assert result.batches == {}
    assert len(result.reasons) == 1
    reason = result.reasons[0]
    assert reason.startswith("南岭乡：") and "2 名学员" in reason and "60%" in reason


def test_a_share_no_number_of_batches_can_meet_is_said_once():
    result = run(unit("东湖镇", 6) + unit("南岭乡", 8), batches=2, min_on_duty=0.6)
    assert result.status == "infeasible"
    assert len(result.reasons) == 1 and "最多为 50%" in result.reasons[0]


def test_a_secretary_who_is_also_the_head_cannot_be_split_from_himself():
    data = {
        "people": [
            {"id": "z1", "unit": "东湖镇", "role": "secretary"},
            {"id": "z1", "unit": "东湖镇", "role": "head"},
            {"id": "z2", "unit": "东湖镇"},
            {"id": "z3", "unit": "东湖镇"},
        ],
        "batches": 2,
        "min_on_duty": 0.4,
    }
    result = solve(parse_instance(data), workers=1)
    assert result.status == "infeasible"
    assert any("东湖镇" in r and "同一人" in r and "z1" in r for r in result.reasons)


def test_one_batch_cannot_separate_the_leaders():
    result = run(unit("东湖镇", 4), batches=1, min_on_duty=0)
    assert result.status == "infeasible"
    assert result.reasons == ["东湖镇：只有 1 个批次，书记和行政正职无法分在不同批次。"]


def test_capacities_below_the_trainees_are_reported_before_solving():
    result = run(unit("东湖镇", 10), batches=2, min_on_duty=0.4, capacity=[4, 5])
    assert result.status == "infeasible"
    assert result.reasons == ["各批容量合计 9 人，少于学员总数 10 人。"]


def test_a_batch_too_small_for_what_must_go_there_names_the_units():
    # 10 + 10 trainees, at most 6 of each unit per batch: batch 2 must take at least 4 + 4
    people = unit("东湖镇", 10) + unit("南岭乡", 10)
    result = run(people, batches=2, min_on_duty=0.4, capacity=[100, 7])
    assert result.status == "infeasible"
    assert "第2批" in result.reasons[0]
    assert "东湖镇（4人）" in result.reasons[0] and "南岭乡（4人）" in result.reasons[0]


def test_leaders_crowding_a_small_batch_are_found_by_the_solver_core():
    # given two units whose leaders need a seat in each batch, and one seat in batch 1
    people = unit("东湖镇", 2) + unit("南岭乡", 2) + [Person("m", "北桥街道")]
    inst = make_instance(
        people,
        batches=2,
        min_on_duty=0,
        capacity=[1, 100],
        unit_sizes={"东湖镇": 10, "南岭乡": 10},
    )
    # when solved (the per-unit checks find nothing wrong)
    result = solve(inst, workers=1)
    # then the core names exactly the two units and not the bystander
    assert result.status == "infeasible"
    assert "东湖镇" in result.reasons[0] and "南岭乡" in result.reasons[0]
    assert "北桥街道" not in result.reasons[0]


def test_a_unit_without_leaders_is_warned_about_and_still_split():
    people = unit("东湖镇", 4) + unit("市委组织部", 5, leaders=False)
    result = run(people, batches=2, min_on_duty=0.4)
    assert result.status == "optimal"
    assert len(result.warnings) == 1 and "市委组织部" in result.warnings[0]
    counts = per_unit(result, people)
    assert {counts["市委组织部", 0], counts["市委组织部", 1]} == {2, 3}


def test_the_unit_headcount_from_the_roster_relaxes_the_share_for_small_delegations():
    # given a department sending 1 trainee: alone it cannot keep 40 % on duty…
    alone = run([Person("x", "市发改委")], batches=2, min_on_duty=0.4)
    assert alone.status == "infeasible"
    # …but its other 19 staff stay at work, so it can
    inst = make_instance(
        [Person("x", "市发改委")], batches=2, min_on_duty=0.4, unit_sizes={"市发改委": 20}
    )
    assert solve(inst, workers=1).status == "optimal"


def test_people_keep_their_current_batch_where_the_counts_allow():
    people = unit("东湖镇", 6)
    current = {"东湖镇-2": 1, "东湖镇-3": 1, "东湖镇-4": 0}
    inst = make_instance(people, batches=2, min_on_duty=0.4, current=current)
    result = solve(inst, workers=1)
    assert all(result.batches[p] == b for p, b in current.items())


def test_a_hand_edited_split_is_rechecked_unit_by_unit():
    people = [*unit("东湖镇", 5), Person("y", "南岭乡", "member")]
    inst = make_instance(people, batches=2, min_on_duty=0.4, capacity=[3, 10])
    # leaders together, 4 of 5 in batch 1 (max 3), batch 1 over capacity, one unplaced
    split = {"东湖镇-0": 0, "东湖镇-1": 0, "东湖镇-2": 0, "东湖镇-3": 0, "东湖镇-4": 1}
    found = violations(inst, split)
    assert "还有 1 名学员没有分批。" in found
    assert "东湖镇：书记和行政正职都在第1批。" in found
    assert any(v.startswith("东湖镇：第1批去了 4 人") for v in found)
    assert "第1批有 4 人，超过容量 3 人。" in found


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"people": []}, "非空列表"),
        ({"people": [{"id": "a"}]}, "缺少 id 或 unit"),
        ({"people": [{"id": "a", "unit": "x", "role": "boss"}]}, "role “boss” 无效"),
        ({"people": [{"id": "a", "unit": "x"}], "batches": 0}, "批次数"),
        ({"people": [{"id": "a", "unit": "x"}], "min_on_duty": 1}, "在岗比例"),
        ({"people": [{"id": "a", "unit": "x"}], "capacity": [1]}, "capacity"),
        ({"people": [{"id": "a", "unit": "x"}, {"id": "a", "unit": "y"}]}, "两个单位"),
    ],
)
def test_malformed_instances_are_refused_with_a_message(data, fragment):
    with pytest.raises(BatchInputError) as caught:
        parse_instance(data)
    assert fragment in str(caught.value)


def test_cli_solves_a_standalone_instance(tmp_path, capsys):
    people = [{"id": p.id, "unit": p.unit, "role": p.role} for p in unit("东湖镇", 4)]
    path = tmp_path / "inst.json"
    path.write_text(json.dumps({"people": people, "batches": 2, "min_on_duty": 0.4}), "utf-8")
    call_command("solve-batches", "--input", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "optimal" and out["reasons"] == []
    assert set(out["batches"]) == {"东湖镇-0", "东湖镇-1", "东湖镇-2", "东湖镇-3"}
    assert out["batches"]["东湖镇-0"] != out["batches"]["东湖镇-1"]


def test_cli_reports_infeasible_and_refuses_bad_files(tmp_path, capsys):
    path = tmp_path / "inst.json"
    path.write_text(json.dumps({"people": [{"id": "a", "unit": "东湖镇"}]}), "utf-8")
    call_command("solve-batches", "--input", str(path), "--json", "--min-on-duty", "0.5")
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "infeasible" and "东湖镇" in out["reasons"][0]
    path.write_text("{not json", "utf-8")
    with pytest.raises(CommandError, match="无法读取"):
        call_command("solve-batches", "--input", str(path), "--json")
    with pytest.raises(CommandError, match="PROGRAM_ID"):
        call_command("solve-batches", "--json")
