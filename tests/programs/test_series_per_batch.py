"""A series for every batch in one step: batch 1 on Saturdays, batch 2 the Sundays after,
each session in the unit its date falls in; previewed by unit and batch before it is written."""

import re
from datetime import date, time

import pytest
from django.utils import timezone

from ganxun.programs import recurrence, services
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import Session
from ganxun.programs.services import SeriesData, SessionData
from tests.programs.test_bulk_preview import fingerprint_on


@pytest.fixture
def two_batches(setup):
    setup.program.batch_count = 2
    setup.program.save()
    return setup


def form(setup, **extra) -> dict:
    return {
        "freq": "weekly",
        "weekdays": ["5"],
        "interval": "1",
        "nth": "1",
        "start": "2030-03-23",
        "count": "2",
        "start_time": "09:00",
        "end_time": "12:00",
        "title": "基层治理专题",
        "lecturers": [setup.li.pk],
        "main_venue": setup.hall.pk,
        "accept_warnings": "on",
        **extra,
    }


@pytest.mark.django_db
def test_each_batch_gets_the_series_a_day_apart_by_unit(client, two_batches):
    setup = two_batches
    client.force_login(setup.organizer)
    url = f"/programs/{setup.program.pk}/sessions/series/"
    data = form(setup, batch_gap_days="1")
    page = client.post(url, data).content.decode()
    # the preview: Sat 23 and 30 March for batch 1, the Sundays after for batch 2 (31 March is
    # still March's unit), nothing written yet
    assert "生成 4 次课" in page
    groups = re.findall(r"<tr><td>(\S+)</td><td class=\"text-end\">(\d+)</td></tr>", page)
    assert groups == [("第1单元·风险防范·第1批", "2"), ("第1单元·风险防范·第2批", "2")]
    assert not Session._base_manager.exists()
    client.post(url, {**data, "bulk_confirm": "1", "bulk_fingerprint": fingerprint_on(page)})
    rows = sorted(
        (timezone.localtime(s.starts_at).date(), s.batch, s.unit_id)
        for s in Session._base_manager.all()
    )
    march = setup.march.pk
    assert rows == [
        (date(2030, 3, 23), 1, march),
        (date(2030, 3, 24), 2, march),
        (date(2030, 3, 30), 1, march),
        (date(2030, 3, 31), 2, march),
    ]


def series(setup, gap) -> SeriesData:
    return SeriesData(
        rule=recurrence.Rule(freq="weekly", start=date(2030, 3, 23), weekdays=[5], count=2),
        start_time=time(9),
        end_time=time(12),
        template=SessionData(starts_at=None, ends_at=None, title="专题", lecturers=[setup.li]),
        batch_gap_days=gap,
    )


@pytest.mark.django_db
def test_a_program_without_batches_refuses_per_batch_and_writes_nothing(setup):
    with pytest.raises(ProgramError) as caught:
        services.sessions_generate(
            actor=setup.organizer, program=setup.program, series=series(setup, 1)
        )
    assert caught.value.code == "no_batches" and caught.value.field == "batch_gap_days"
    assert not Session._base_manager.exists()


@pytest.mark.django_db
def test_a_program_with_no_units_gets_sessions_outside_units_without_error(two_batches):
    setup = two_batches
    setup.march.delete()
    setup.april.delete()
    created, _warnings = services.sessions_generate(
        actor=setup.organizer, program=setup.program, series=series(setup, 1), accept_warnings=True
    )
    assert sorted((s.batch, s.unit_id) for s in created) == [
        (1, None),
        (1, None),
        (2, None),
        (2, None),
    ]
