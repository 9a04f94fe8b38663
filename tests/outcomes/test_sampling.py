"""The follow-up sample: stratified by unit, at least one per unit with trainees, the same
people for the same seed."""

from decimal import Decimal

import pytest

from ganxun.outcomes.errors import OutcomeError
from ganxun.outcomes.models import SampleMember
from ganxun.outcomes.sampling import stratified_sample, unit_quota
from ganxun.outcomes.services import sample_create
from tests.outcomes.factories import make_followup


def trainees() -> list[tuple[int, int]]:
    """Unit 1 has 40 trainees, unit 2 has 15, unit 3 has 2 (cadre ids are unique)."""
    return (
        [(i, 1) for i in range(1, 41)]
        + [(i, 2) for i in range(101, 116)]
        + [(i, 3) for i in range(201, 203)]
    )


def test_ten_percent_by_unit_with_at_least_one_per_unit():
    chosen = stratified_sample(trainees(), Decimal("0.1"), seed=7)
    per_unit = {u: sum(1 for _c, unit in chosen if unit == u) for u in (1, 2, 3)}
    # 40 → 4, 15 → 1.5 rounds half up to 2, 2 → 0.2 but at least 1
    assert per_unit == {1: 4, 2: 2, 3: 1}
    assert all(unit == {1: 1, 2: 2, 3: 3}[unit] for _c, unit in chosen)


def test_the_same_seed_gives_the_same_people_and_another_seed_others():
    first = stratified_sample(trainees(), Decimal("0.1"), seed=7)
    assert stratified_sample(list(reversed(trainees())), Decimal("0.1"), seed=7) == first
    assert stratified_sample(trainees(), Decimal("0.1"), seed=8) != first


def test_quota_never_exceeds_the_unit():
    assert unit_quota(3, Decimal("1")) == 3
    assert unit_quota(0, Decimal("0.5")) == 0


@pytest.mark.django_db
def test_a_sample_of_the_program_becomes_a_checklist_ticked_by_follow_ups(client, setup):
    # given the program's 3 trainees in 2 units, when the organizer samples 10 %
    sample = sample_create(actor=setup.organizer, program=setup.program, share="10", seed=3)
    members = SampleMember._base_manager.filter(sample=sample)
    # then one per unit is chosen
    assert sorted(m.unit.name for m in members) == ["东湖镇", "南岭乡"]
    # and once a follow-up sees 李强, the checklist ticks him
    make_followup(setup.program, 4, [setup.li])
    client.force_login(setup.organizer)
    page = client.get(f"/outcomes/programs/{setup.program.pk}/followups/").content.decode()
    assert "抽取 2 人" in page and "已走访 1 人" in page


@pytest.mark.django_db
@pytest.mark.parametrize("share", ["0", "abc", "101"])
def test_a_bad_share_is_refused(setup, share):
    with pytest.raises(OutcomeError) as refused:
        sample_create(actor=setup.organizer, program=setup.program, share=share)
    assert refused.value.code == "invalid_share"
