"""A lecturer opens the brief of their session on a 360 px phone: every part is there, the
expectations of the three-party consultation read, and nothing is wider than the screen."""

import pytest

from ganxun.core.scoping import unscoped
from ganxun.programs.models import Consultation, Expectation, ProgramTrainee
from tests.browser.conftest import sign_in
from tests.evaluations.conftest import scene  # noqa: F401  (the fixture)
from tests.factories import PASSWORD


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.django_db(transaction=True)
def test_a_lecturer_reads_the_brief_on_a_phone(scene, phone, live_server):  # noqa: F811
    # given a consultation where a representative asked for village evacuation cases
    with unscoped():
        rep = ProgramTrainee.objects.filter(program=scene.program).first()
        held = Consultation.objects.create(
            session=scene.session,
            held_on=scene.session.starts_at.date(),
            organizer=scene.organizer,
            lecturer=scene.lecturer,
            adjustments="增加30分钟分组推演",
        )
        Expectation.objects.create(
            consultation=held, representative=rep, text="想听听村里转移群众具体怎么组织"
        )
    # when the lecturer signs in on a phone and opens the brief
    sign_in(phone, live_server, scene.lecturer_user.username, PASSWORD)
    phone.goto(f"{live_server.url}/evaluations/sessions/{scene.session.pk}/brief/")
    # then each part of the brief is there and the page fits the phone
    for part in ("needs", "expectations", "room", "pretest", "earlier", "after"):
        assert phone.get_by_test_id(f"brief-{part}").is_visible(), part
    assert (
        "想听听村里转移群众具体怎么组织" in phone.get_by_test_id("brief-expectations").inner_text()
    )
    assert "应到 7 人" in phone.get_by_test_id("brief-room").inner_text()
    assert fits(phone)
    # and the print button is there (print CSS hides it on paper)
    assert phone.get_by_role("button", name="打印").is_visible()
