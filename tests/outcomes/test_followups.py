"""一线调研: organizers record follow-ups with evidence; out-of-range ratings, people outside the
program and visits in the future are refused with nothing saved."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ganxun.outcomes.errors import OutcomeError
from ganxun.outcomes.models import Attachment, FollowUp
from ganxun.outcomes.services import FollowUpData, followup_create
from tests.outcomes.factories import PNG

pytestmark = pytest.mark.django_db


def data(setup, **extra):
    values = {
        "visited_on": date(2025, 6, 10),
        "visitors": "县委组织部 张科长",
        "applied": "把风险研判方法用到了防汛值班表中。",
        "rating": 4,
        "cadres": [setup.chen],
    }
    values.update(extra)
    return FollowUpData(**values)


def test_the_organizer_records_a_follow_up_with_a_photo_through_the_page(client, setup):
    client.force_login(setup.organizer)
    response = client.post(
        f"/outcomes/programs/{setup.program.pk}/followups/new/",
        {
            "visited_on": "2025-06-10",
            "visitors": "县委组织部 张科长",
            "cadres": [setup.chen.pk, setup.wang.pk],
            "unit": setup.chen.unit.pk,
            "applied": "用到了防汛值班。",
            "rating": "5",
            "files": [SimpleUploadedFile("现场.png", PNG)],
        },
    )
    assert response.status_code == 302
    followup = FollowUp.objects.visible_to(setup.organizer).get()
    assert followup.rating == 5 and Attachment._base_manager.filter(follow_up=followup).count() == 1
    page = client.get(f"/outcomes/followups/{followup.pk}/").content.decode()
    assert "陈晓明" in page and "现场.png" in page


def test_a_rating_out_of_range_is_refused_on_the_form_and_by_the_service(client, setup):
    client.force_login(setup.organizer)
    response = client.post(
        f"/outcomes/programs/{setup.program.pk}/followups/new/",
        {
            "visited_on": "2025-06-10",
            "visitors": "x",
            "cadres": [setup.chen.pk],
            "applied": "x",
            "rating": "9",
        },
    )
    assert response.status_code == 200 and "应用评分应为 1 到 5 的整数" in response.content.decode()
    with pytest.raises(OutcomeError) as refused:
        followup_create(actor=setup.organizer, program=setup.program, data=data(setup, rating=0))
    assert refused.value.code == "invalid_rating"
    assert not FollowUp.objects.visible_to(setup.organizer).exists()


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"visited_on": "tomorrow"}, "future_visit"),
        ({"visited_on": date(2024, 1, 1)}, "visit_before_program"),
        ({"cadres": []}, "nobody_seen"),
        ({"visitors": ""}, "required"),
    ],
)
def test_bad_follow_ups_are_refused(setup, extra, code):
    if extra.get("visited_on") == "tomorrow":  # read when the test runs, not when collected
        extra = {"visited_on": timezone.localdate() + timedelta(days=1)}
    with pytest.raises(OutcomeError) as refused:
        followup_create(actor=setup.organizer, program=setup.program, data=data(setup, **extra))
    assert refused.value.code == code


def test_a_cadre_outside_the_program_is_refused(setup, cadres):
    with pytest.raises(OutcomeError) as refused:
        followup_create(
            actor=setup.organizer,
            program=setup.program,
            data=data(setup, cadres=[setup.chen, cadres["other_county"]]),
        )
    assert refused.value.code == "not_a_trainee"
    assert not FollowUp.objects.visible_to(setup.organizer).exists()


def test_trainees_cannot_reach_the_follow_up_pages(client, setup):
    client.force_login(setup.trainee)
    assert client.get(f"/outcomes/programs/{setup.program.pk}/followups/").status_code == 403
