"""Outline review: submit by the deadline, approve or return with comments, resubmit; every
version and decision kept; the organizer's list of sessions still without approval."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.errors import PermissionDenied
from ganxun.programs import selectors, services
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import Outline, OutlineDecision, OutlineStatus, Session
from tests.factories import make_user
from tests.programs.factories import make_session

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def lecturer_user(setup, city):
    """The account of 张平, the lecturer: its cadre is the pool entry's cadre."""
    return make_user(city.county_a, Role.LECTURER, cadre=setup.zhang.cadre)


def soon(days: float) -> timezone.datetime:
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def session(setup):
    # a session 10 days ahead: the outline is due 3 days from now (7 days before class)
    return make_session(setup.program, soon(10), lecturers=[setup.zhang], title="风险防范")


def reload(session) -> Session:
    return Session._base_manager.get(pk=session.pk)


@pytest.mark.django_db
class TestReview:
    def test_submitted_returned_resubmitted_approved_with_every_version_kept(
        self, setup, session, lecturer_user
    ):
        # when the lecturer submits a first version
        first = services.outline_submit(actor=lecturer_user, session=session, text="一、形势")
        assert reload(session).outline_status == OutlineStatus.SUBMITTED
        # and the reviewing leader returns it with a comment
        services.outline_decide(
            actor=setup.reviewer, outline=first, decision="returned", comment="请增加本地案例"
        )
        assert reload(session).outline_status == OutlineStatus.RETURNED
        # and the lecturer answers with a second version, as a Word file
        upload = SimpleUploadedFile("提纲.pdf", PDF, content_type="application/pdf")
        second = services.outline_submit(
            actor=lecturer_user, session=session, text="一、形势\n二、本地案例", upload=upload
        )
        services.outline_decide(actor=setup.reviewer, outline=second, decision="approved")
        # then the session is approved and both versions and decisions are on record
        assert reload(session).outline_status == OutlineStatus.APPROVED
        versions = selectors.session_outlines(session)
        assert [o.version for o in versions] == [2, 1]
        assert versions[0].file_name == "提纲.pdf" and versions[0].content_type == "application/pdf"
        decisions = list(
            OutlineDecision._base_manager.order_by("decided_at").values_list("decision", "comment")
        )
        assert decisions == [("returned", "请增加本地案例"), ("approved", "")]

    def test_returning_without_a_comment_is_refused(self, setup, session, lecturer_user):
        outline = services.outline_submit(actor=lecturer_user, session=session, text="提纲")
        with pytest.raises(ProgramError) as caught:
            services.outline_decide(actor=setup.reviewer, outline=outline, decision="returned")
        assert caught.value.code == "comment_required"
        assert reload(session).outline_status == OutlineStatus.SUBMITTED

    def test_only_the_programs_reviewer_decides(self, setup, session, lecturer_user, city):
        outline = services.outline_submit(actor=lecturer_user, session=session, text="提纲")
        stranger = make_user(city.county_a, Role.REVIEWER)
        with pytest.raises(PermissionDenied):
            services.outline_decide(actor=stranger, outline=outline, decision="approved")
        with pytest.raises(PermissionDenied):
            services.outline_decide(actor=setup.organizer, outline=outline, decision="approved")

    def test_a_decided_version_cannot_be_decided_again(self, setup, session, lecturer_user):
        outline = services.outline_submit(actor=lecturer_user, session=session, text="提纲")
        services.outline_decide(actor=setup.reviewer, outline=outline, decision="approved")
        with pytest.raises(ProgramError) as caught:
            services.outline_decide(
                actor=setup.reviewer, outline=outline, decision="returned", comment="再改"
            )
        assert caught.value.code == "outline_not_pending"

    def test_a_first_outline_after_the_deadline_is_refused_with_the_deadline(
        self, setup, lecturer_user
    ):
        late = make_session(setup.program, soon(5), lecturers=[setup.zhang])
        with pytest.raises(ProgramError) as caught:
            services.outline_submit(actor=lecturer_user, session=late, text="提纲")
        assert caught.value.code == "outline_late" and "截止时间为" in caught.value.message
        assert not Outline.objects.visible_to(setup.organizer).exists()
        # the organizer can set this session's own deadline, and then it is accepted
        late.outline_due_at = soon(1)
        late.save()
        services.outline_submit(actor=lecturer_user, session=late, text="提纲")
        assert reload(late).outline_status == OutlineStatus.SUBMITTED

    def test_after_a_return_the_lecturer_may_answer_past_the_deadline(
        self, setup, session, lecturer_user
    ):
        outline = services.outline_submit(actor=lecturer_user, session=session, text="提纲")
        services.outline_decide(
            actor=setup.reviewer, outline=outline, decision="returned", comment="补充"
        )
        # the class moved closer: the deadline has now passed
        Session._base_manager.filter(pk=session.pk).update(starts_at=soon(2), ends_at=soon(2.1))
        services.outline_submit(actor=lecturer_user, session=session, text="修改稿")
        assert reload(session).outline_status == OutlineStatus.SUBMITTED

    def test_a_file_that_is_no_document_is_refused_and_nothing_is_kept(
        self, setup, session, lecturer_user
    ):
        fake = SimpleUploadedFile("提纲.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
        with pytest.raises(ProgramError) as caught:
            services.outline_submit(actor=lecturer_user, session=session, upload=fake)
        assert caught.value.code == "unsupported_file"
        assert reload(session).outline_status == OutlineStatus.NONE

    def test_empty_and_unrelated_submissions_are_refused(self, setup, session, lecturer_user, city):
        with pytest.raises(ProgramError) as caught:
            services.outline_submit(actor=lecturer_user, session=session, text="  ")
        assert caught.value.code == "outline_empty"
        other_lecturer = make_user(city.county_a, Role.LECTURER)
        with pytest.raises(PermissionDenied):
            services.outline_submit(actor=other_lecturer, session=session, text="提纲")

    def test_the_organizer_may_submit_on_the_lecturers_behalf(self, setup, session):
        services.outline_submit(actor=setup.organizer, session=session, text="代为提交")
        assert reload(session).outline_status == OutlineStatus.SUBMITTED


@pytest.mark.django_db
def test_sessions_without_an_approved_outline_are_listed_nearest_first(setup, lecturer_user):
    far = make_session(setup.program, soon(20), lecturers=[setup.zhang], title="远")
    near = make_session(setup.program, soon(9), lecturers=[setup.zhang], title="近")
    done = make_session(setup.program, soon(12), lecturers=[setup.zhang], title="已通过")
    make_session(setup.program, soon(-3), lecturers=[setup.zhang], title="已上完")
    outline = services.outline_submit(actor=lecturer_user, session=done, text="提纲")
    services.outline_decide(actor=setup.reviewer, outline=outline, decision="approved")
    listed = list(selectors.sessions_without_approved_outline(setup.organizer))
    assert listed == [near, far]
    # and the reviewer's queue holds what waits for them
    services.outline_submit(actor=lecturer_user, session=far, text="提纲")
    assert list(selectors.outlines_to_review(setup.reviewer)) == [far]
