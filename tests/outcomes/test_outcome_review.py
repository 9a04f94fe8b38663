"""学用成果: a trainee files an outcome on a phone, the organizer returns it with a note, the
trainee revises it, the organizer accepts and publishes it to the showcase. Bad input is
refused with a message and nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry, Notice
from ganxun.outcomes.errors import OutcomeError
from ganxun.outcomes.models import Attachment, Outcome
from ganxun.outcomes.services import (
    OutcomeData,
    outcome_publish,
    outcome_review,
    outcome_revise,
    outcome_submit,
)
from tests.factories import CadreFactory, make_user
from tests.outcomes.factories import PDF, PNG

pytestmark = pytest.mark.django_db


def names(outcome) -> set[str]:
    through = Outcome.cadres.through.objects.filter(outcome=outcome)
    return set(through.values_list("cadre__name", flat=True))


def data(program, **extra):
    values = {
        "program": program,
        "title": "东湖镇老旧小区改造议事机制",
        "kind": Outcome.Kind.MECHANISM,
        "change": "把课上学到的协商议事方法用到小区改造，居民投诉明显减少。",
        "effect_value": "12",
        "effect_unit": "个小区",
    }
    values.update(extra)
    return OutcomeData(**values)


def test_trainee_submits_on_a_phone_and_the_review_goes_back_and_forth(client, setup):
    # given a trainee of the program, signed in
    client.force_login(setup.trainee)
    # when they file an outcome with a photo as evidence through the page
    photo = SimpleUploadedFile("现场.jpg", PNG, content_type="image/jpeg")
    response = client.post(
        "/outcomes/new/",
        {
            "program": setup.program.pk,
            "title": "东湖镇老旧小区改造议事机制",
            "kind": "mechanism",
            "change": "协商议事，投诉减少。",
            "effect_value": "12",
            "effect_unit": "个小区",
            "files": [photo],
        },
    )
    outcome = Outcome.objects.visible_to(setup.trainee).get()
    assert response.status_code == 302
    # then it waits for review, names the trainee and their unit, and keeps the photo
    assert outcome.status == Outcome.Status.SUBMITTED
    assert names(outcome) == {"陈晓明"}
    assert outcome.unit == setup.chen.unit
    assert Attachment._base_manager.get(outcome=outcome).content_type == "image/png"

    # when the organizer returns it with a note
    outcome_review(
        actor=setup.organizer, outcome=outcome, decision="returned", note="请补充投诉下降的数据"
    )
    # then the trainee is told in the inbox, and sees the note on the page
    assert Notice.objects.get(user=setup.trainee).title.endswith("被退回，请修改后重新提交")
    page = client.get(f"/outcomes/{outcome.pk}/").content.decode()
    assert "请补充投诉下降的数据" in page

    # when the trainee revises it
    outcome_revise(
        actor=setup.trainee,
        outcome=outcome,
        data=data(setup.program, effect_value="35", effect_unit="%"),
    )
    outcome.refresh_from_db()
    assert (outcome.status, outcome.revision, outcome.effect_unit) == ("submitted", 1, "%")

    # and the organizer accepts and publishes it
    outcome_review(actor=setup.organizer, outcome=outcome, decision="accepted")
    outcome_publish(actor=setup.organizer, outcome=outcome)
    # then the showcase shows it, and the review history holds both decisions
    showcase = client.get(f"/outcomes/programs/{setup.program.pk}/showcase/").content.decode()
    assert "东湖镇老旧小区改造议事机制" in showcase
    assert list(outcome.reviews.values_list("decision", flat=True)) == ["accepted", "returned"]
    assert AuditEntry.objects.filter(object_type="outcomes.outcome").count() == 5


def test_an_accepted_outcome_cannot_be_revised_nor_reviewed_twice(setup):
    outcome = outcome_submit(actor=setup.trainee, data=data(setup.program))
    outcome_review(actor=setup.organizer, outcome=outcome, decision="accepted")
    with pytest.raises(OutcomeError) as revised:
        outcome_revise(actor=setup.trainee, outcome=outcome, data=data(setup.program))
    with pytest.raises(OutcomeError) as again:
        outcome_review(actor=setup.organizer, outcome=outcome, decision="returned", note="x")
    assert (revised.value.code, again.value.code) == ("not_revisable", "not_pending")


def test_returning_needs_a_note_and_only_accepted_outcomes_are_published(setup):
    outcome = outcome_submit(actor=setup.trainee, data=data(setup.program))
    with pytest.raises(OutcomeError) as no_note:
        outcome_review(actor=setup.organizer, outcome=outcome, decision="returned", note=" ")
    with pytest.raises(OutcomeError) as unpublished:
        outcome_publish(actor=setup.organizer, outcome=outcome)
    assert (no_note.value.code, unpublished.value.code) == ("note_required", "not_accepted")


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"title": "  "}, "required"),
        ({"change": ""}, "required"),
        ({"kind": "poem"}, "invalid_kind"),
        ({"effect_value": "十二"}, "invalid_effect"),
        ({"effect_value": "-3"}, "invalid_effect"),
        ({"effect_value": "NaN"}, "invalid_effect"),
        ({"effect_value": "12", "effect_unit": ""}, "effect_unit_missing"),
        ({"effect_value": "", "effect_unit": "万元"}, "effect_value_missing"),
    ],
)
def test_bad_outcomes_are_refused_and_nothing_is_saved(setup, extra, code):
    with pytest.raises(OutcomeError) as refused:
        outcome_submit(actor=setup.trainee, data=data(setup.program, **extra))
    assert refused.value.code == code
    assert not Outcome.objects.visible_to(setup.organizer).exists()


def test_the_form_shows_a_bad_figure_on_its_field(client, setup):
    client.force_login(setup.trainee)
    response = client.post(
        "/outcomes/new/",
        {
            "program": setup.program.pk,
            "title": "t",
            "kind": "project",
            "change": "c",
            "effect_value": "abc",
            "effect_unit": "个",
        },
    )
    assert response.status_code == 200
    assert "成效数值应是数字" in response.content.decode()
    assert not Outcome.objects.visible_to(setup.organizer).exists()


def test_an_unreadable_attachment_is_refused_and_nothing_is_stored(setup, tmp_path):
    exe = SimpleUploadedFile("a.jpg", b"MZ\x90\x00" + b"\x00" * 60)
    with pytest.raises(OutcomeError) as refused:
        outcome_submit(actor=setup.trainee, data=data(setup.program), uploads=[exe])
    assert refused.value.code == "unsupported_file"
    assert not list(tmp_path.rglob("*.*"))


def test_a_unit_contact_files_for_a_trainee_of_the_township_but_not_of_another(city, setup):
    contact = make_user(city.town_a1, Role.UNIT_CONTACT)
    outcome = outcome_submit(
        actor=contact,
        data=data(setup.program, unit=city.town_a1, cadres=[setup.chen, setup.wang]),
        uploads=[SimpleUploadedFile("决议.pdf", PDF)],
    )
    assert names(outcome) == {"陈晓明", "王丽"}
    # a trainee of 南岭乡 (outside the contact's township) is refused
    with pytest.raises(OutcomeError) as refused:
        outcome_submit(
            actor=contact, data=data(setup.program, unit=city.town_a1, cadres=[setup.li])
        )
    assert refused.value.code == "not_a_trainee"
    # so is a unit outside the township
    with pytest.raises(OutcomeError) as unit:
        outcome_submit(actor=contact, data=data(setup.program, unit=city.town_a2))
    assert unit.value.code == "invalid_unit"


def test_a_trainee_of_another_program_cannot_file_for_this_one(city, setup):
    outsider = make_user(city.town_b1, Role.TRAINEE, cadre=CadreFactory(unit=city.town_b1))
    with pytest.raises(OutcomeError) as refused:
        outcome_submit(actor=outsider, data=data(setup.program))
    assert refused.value.code == "not_your_program"


def test_the_trainee_page_fits_a_phone_and_lists_my_outcomes(client, setup):
    outcome_submit(actor=setup.trainee, data=data(setup.program))
    client.force_login(setup.trainee)
    page = client.get("/outcomes/").content.decode()
    assert "东湖镇老旧小区改造议事机制" in page and "待审核" in page
    assert "周末知行学堂" in page  # the progress link of the program


def test_the_organizer_finds_pending_outcomes_on_the_home_page_and_the_queue(client, setup):
    outcome_submit(actor=setup.trainee, data=data(setup.program))
    client.force_login(setup.organizer)
    home = client.get("/").content.decode()
    assert "待审学用成果" in home
    queue = client.get("/outcomes/review/").content.decode()
    assert "东湖镇老旧小区改造议事机制" in queue and "周末知行学堂" in queue
