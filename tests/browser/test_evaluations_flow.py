"""A checked-in trainee rates the class on a 360 px phone and sees the thanks page; the
lecturer sees figures only once the fifth answer is in."""

import pytest

from ganxun.evaluations.services import evaluation_submit
from tests.browser.conftest import sign_in
from tests.evaluations.conftest import scene  # noqa: F401  (the fixture)
from tests.evaluations.factories import form_post
from tests.factories import PASSWORD


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.django_db(transaction=True)
def test_the_fifth_answer_given_on_a_phone_unlocks_the_lecturers_figures(
    scene,  # noqa: F811
    phone,
    desktop,
    live_server,
):
    # given four trainees answered already (all 4s) and the lecturer looks at the session
    for trainee in scene.trainees[1:5]:
        evaluation_submit(
            actor=trainee, session=scene.session, data=form_post(scene.program, (4,) * 5)
        )
    results = f"{live_server.url}/evaluations/sessions/{scene.session.pk}/results/"
    sign_in(desktop, live_server, scene.lecturer_user.username, PASSWORD)
    desktop.goto(results)
    # then no figures, only how many answers are still needed
    assert "还需 1 人评价" in desktop.get_by_test_id("below-threshold").inner_text()
    assert desktop.get_by_test_id("session-mean").count() == 0
    # when the fifth trainee, checked in, opens the form on a phone and rates everything 5
    trainee = scene.trainees[0]
    sign_in(phone, live_server, trainee.username, PASSWORD)
    phone.goto(f"{live_server.url}/evaluations/sessions/{scene.session.pk}/")
    assert phone.get_by_test_id("form-title").is_visible() and fits(phone)
    for group in phone.locator(".gx-rating").all():
        group.locator("label", has_text="5").click()
    phone.locator("textarea").fill("希望多安排案例研讨")
    phone.get_by_test_id("submit-evaluation").click()
    # then the thanks page shows, still fitting the phone
    assert phone.get_by_test_id("thanks").is_visible() and fits(phone)
    # and the lecturer now sees the aggregate: four 4s and one 5 → 4.2
    desktop.reload()
    assert desktop.get_by_test_id("session-mean").inner_text() == "4.2"
    assert desktop.get_by_test_id("answers").count() == 0
