"""计算分批方案 proposes a split; the batches page previews it (how many per batch, how many
move) and writes it only when the organizer confirms that same preview."""

import re

import pytest

from ganxun.core.models import AuditEntry
from ganxun.programs import services
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import Program, ProgramTrainee
from tests.factories import CadreFactory
from tests.programs.factories import enroll
from tests.programs.test_batches import rows, solve, township
from tests.programs.test_bulk_preview import fingerprint_on


def batches_of(setup) -> list:
    return [t.batch for t in rows(setup.program)]


@pytest.mark.django_db
def test_the_solved_split_is_previewed_and_written_only_on_confirm(
    client, setup, city, django_capture_on_commit_callbacks
):
    # given two townships' staff in the program, all in batch 1 already
    _a, east = township(city.county_a, "东风镇", 6)
    _b, west = township(city.county_a, "西岭乡", 5)
    enroll(setup.program, east + west, batch=1)
    # when the organizer computes a split for 2 batches
    solve(setup, django_capture_on_commit_callbacks, apply=False)
    # then nobody has moved yet, and the batches page previews the split
    assert batches_of(setup) == [1] * 11
    client.force_login(setup.organizer)
    url = f"/programs/{setup.program.pk}/batches/"
    page = client.get(url).content.decode()
    assert "按方案分批 11 名学员" in page and 'data-testid="verdict-pending"' in page
    groups = dict(re.findall(r"<tr><td>(第\d批)</td><td class=\"text-end\">(\d+)</td></tr>", page))
    assert sorted(groups) == ["第1批", "第2批"] and sum(map(int, groups.values())) == 11
    moved = int(groups["第2批"])
    assert f"其中 {moved} 人的批次会改变" in page
    assert Program._base_manager.get(pk=setup.program.pk).batch_count == 1
    # when they confirm the preview
    response = client.post(
        f"/programs/{setup.program.pk}/batches/apply/",
        {"bulk_confirm": "1", "bulk_fingerprint": fingerprint_on(page)},
    )
    assert response.status_code == 302
    # then the split is written, as previewed, once, and audited
    assert sorted(batches_of(setup)).count(2) == moved
    assert Program._base_manager.get(pk=setup.program.pk).batch_count == 2
    entry = AuditEntry.objects.filter(changes__has_key="trainees_moved").get()
    assert entry.changes["trainees_moved"] == [None, moved]
    page = client.get(url).content.decode()
    assert 'data-testid="bulk-preview"' not in page
    with pytest.raises(ProgramError) as caught:
        services.batch_apply(actor=setup.organizer, program=setup.program)
    assert caught.value.code == "no_solution"


@pytest.mark.django_db
def test_a_trainee_added_after_the_preview_makes_it_stale_and_nothing_is_written(
    client, setup, city, django_capture_on_commit_callbacks
):
    _a, east = township(city.county_a, "东风镇", 6)
    enroll(setup.program, east)
    solve(setup, django_capture_on_commit_callbacks, apply=False)
    client.force_login(setup.organizer)
    page = client.get(f"/programs/{setup.program.pk}/batches/").content.decode()
    enroll(setup.program, [CadreFactory(unit=east[0].unit)])
    client.post(
        f"/programs/{setup.program.pk}/batches/apply/",
        {"bulk_confirm": "1", "bulk_fingerprint": fingerprint_on(page)},
    )
    assert all(t.batch is None for t in ProgramTrainee._base_manager.filter(program=setup.program))
    page = client.get(f"/programs/{setup.program.pk}/batches/").content.decode()
    assert "1 名学员在求解后加入" in page


@pytest.mark.django_db
def test_applying_with_nothing_solved_is_refused_without_error(client, setup):
    client.force_login(setup.organizer)
    response = client.post(f"/programs/{setup.program.pk}/batches/apply/", {"bulk_confirm": "1"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "没有待确认的分批方案" in page
