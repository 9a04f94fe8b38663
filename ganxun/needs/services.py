"""Every write of needs surveys: creating, opening and closing, inviting, and answering by link.

One transaction each, audited. Clustering and its curation live in ``needs.curation``.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record, diff, snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of, unscoped
from ganxun.needs import links
from ganxun.needs.errors import LinkError, NeedsError
from ganxun.needs.models import NeedsSurvey, NeedTopic, Respondent
from ganxun.needs.policies import can_edit_topics, can_manage_needs, manages_survey
from ganxun.needs.targeting import Targeting, age_band, matching_cadres, unit_levels
from ganxun.orgs.models import Cadre
from ganxun.surveys import services as survey_services
from ganxun.surveys.answering import Answers, Parsed, response_save
from ganxun.surveys.models import Questionnaire, Response

if TYPE_CHECKING:
    from ganxun.accounts.models import User

BLANK = "blank"
BULK = 1000


def _require_manager(actor: "User", survey: NeedsSurvey) -> None:
    if not manages_survey(actor, survey):
        raise PermissionDenied()


# --- the survey ----------------------------------------------------------------------------------


@transaction.atomic
def needs_survey_create(
    *, actor: "User", org, title: str = "", template: str = BLANK
) -> NeedsSurvey:
    """A draft needs survey, empty or from a questionnaire template."""
    if not can_manage_needs(actor):
        raise PermissionDenied()
    if template == BLANK:
        questionnaire = survey_services.questionnaire_create(actor=actor, org=org, title=title)
    else:
        questionnaire = survey_services.questionnaire_from_template(
            actor=actor, org=org, template=template, title=title.strip()
        )
    survey = NeedsSurvey.objects.create(questionnaire=questionnaire)
    audit_record(actor=actor, action="create", obj=survey, changes={"title": [None, survey.title]})
    return survey


def needs_survey_open(
    *, actor: "User", survey: NeedsSurvey, closes_at: datetime | None
) -> NeedsSurvey:
    _require_manager(actor, survey)
    survey_services.questionnaire_open(
        actor=actor, questionnaire=survey.questionnaire, closes_at=closes_at
    )
    return survey


def needs_survey_close(*, actor: "User", survey: NeedsSurvey) -> NeedsSurvey:
    _require_manager(actor, survey)
    survey_services.questionnaire_close(actor=actor, questionnaire=survey.questionnaire)
    return survey


# --- inviting ------------------------------------------------------------------------------------


@transaction.atomic
def respondents_add(*, actor: "User", survey: NeedsSurvey, criteria: Targeting) -> dict:
    """Invite every matching cadre not yet invited; each gets a personal link."""
    _require_manager(actor, survey)
    if survey.questionnaire.status == Questionnaire.Status.CLOSED:
        raise NeedsError("survey_closed", _("调研已结束，不能再添加调研对象。"))
    today = timezone.localdate()
    invited = set(
        children_of(survey, Respondent, "survey")
        .filter(cadre__isnull=False)
        .values_list("cadre_id", flat=True)
    )
    cadres = [
        c
        for c in matching_cadres(actor, survey.questionnaire.org, criteria, today)
        .select_related("unit")
        .prefetch_related("categories")
        if c.pk not in invited
    ]
    levels = unit_levels(list({c.unit_id: c.unit for c in cadres}.values()))
    for start in range(0, len(cadres), BULK):
        _invite(survey, cadres[start : start + BULK], levels, today)
    record = {
        "at": timezone.now().isoformat(),
        "by": actor.username,
        "criteria": criteria.as_record(),
        "added": len(cadres),
    }
    survey.targeting = [*survey.targeting, record]
    survey.save(update_fields=["targeting"])
    audit_record(
        actor=actor, action="update", obj=survey, changes={"respondents_added": [None, len(cadres)]}
    )
    return {"added": len(cadres), "already": len(invited)}


def _invite(survey, cadres: list[Cadre], levels: dict, today) -> None:
    rows = []
    for cadre in cadres:
        nonce = links.new_nonce()
        rows.append(
            Respondent(
                survey=survey,
                cadre=cadre,
                name=cadre.name,
                unit_id=cadre.unit_id,
                rank=cadre.rank,
                leader_role=cadre.leader_role,
                age_band=age_band(cadre.birth_date, today),
                unit_level=levels[cadre.unit_id],
                token_nonce=nonce,
                token_hash=links.token_hash(links.token_for(nonce)),
            )
        )
    created = Respondent.objects.bulk_create(rows)
    through = Respondent.categories.through
    through.objects.bulk_create(
        [
            through(respondent_id=respondent.pk, cadrecategory_id=category.pk)
            for respondent, cadre in zip(created, cadres, strict=True)
            for category in cadre.categories.all()
        ]
    )


@transaction.atomic
def respondent_reissue_link(*, actor: "User", respondent: Respondent) -> Respondent:
    """A new personal link; the old one stops working (e.g. it was forwarded by mistake)."""
    _require_manager(actor, respondent.survey)
    nonce = links.new_nonce()
    respondent.token_nonce = nonce
    respondent.token_hash = links.token_hash(links.token_for(nonce))
    respondent.save(update_fields=["token_nonce", "token_hash"])
    audit_record(actor=actor, action="update", obj=respondent, changes={"token": ["***", "***"]})
    return respondent


# --- answering by link ---------------------------------------------------------------------------


def check_link_usable(respondent: Respondent) -> None:
    """Why this link cannot take answers now, as a coded error with its page status."""
    questionnaire = respondent.survey.questionnaire
    if questionnaire.status == Questionnaire.Status.DRAFT:
        raise LinkError("not_started", _("问卷尚未开始，请稍后再来。"), status=403)
    if questionnaire.is_over:
        raise LinkError("survey_closed", _("本次调研已经结束，感谢您的关注。"), status=410)


@dataclass
class Outcome:
    parsed: Parsed | None
    submitted: bool = False
    repeated: bool = False


@transaction.atomic
def respondent_answer(
    *, respondent: Respondent, data: Answers, submit: bool, submission_key: str = ""
) -> Outcome:
    """Save a draft or submit, once. The link is the credential, so there is no actor.

    Concurrency and retries: the respondent row is locked, so two posts take turns. A post
    that repeats the submission already stored (same key) is answered as that submission was;
    any other post after submission is refused.
    """
    # scope: the link is the credential (no actor): the row its token found, re-read locked
    with unscoped():
        # Lock first, then read in a new statement: on PostgreSQL a statement that waited for
        # the lock still sees joined rows (the response) as they were before the wait.
        Respondent.objects.select_for_update().filter(pk=respondent.pk).values_list("pk").get()
        respondent = Respondent.objects.select_related("survey__questionnaire", "response").get(
            pk=respondent.pk
        )
    response = respondent.response
    if response is not None and response.is_submitted:
        if submit and submission_key and submission_key == response.submission_key:
            return Outcome(parsed=None, submitted=True, repeated=True)
        raise LinkError("already_submitted", _submitted_message(response), status=409)
    check_link_usable(respondent)
    if response is None:
        response = Response.objects.create(questionnaire=respondent.survey.questionnaire)
        respondent.response = response
        respondent.save(update_fields=["response"])
    parsed = response_save(
        response=response, data=data, submit=submit, submission_key=submission_key
    )
    if submit and parsed.ok:
        audit_record(
            actor=None,
            action="create",
            obj=response,
            changes={"submitted": [None, respondent.name]},
            object_repr=f"{respondent.survey.title} · {respondent.name} 的答卷",
        )
    return Outcome(parsed=parsed, submitted=submit and parsed.ok)


def _submitted_message(response: Response) -> str:
    when = timezone.localtime(response.submitted_at)
    return _("您已于 %(when)s 提交过这份问卷，每人只能提交一次。感谢参与！") % {
        "when": date_format(when, "Y-m-d H:i")
    }


@transaction.atomic
def respondent_mark_opened(*, respondent: Respondent) -> None:
    if respondent.opened_at is None:
        # scope: the row its personal link found (the link is the credential, no actor)
        with unscoped():
            Respondent.objects.filter(pk=respondent.pk, opened_at__isnull=True).update(
                opened_at=timezone.now()
            )


# --- the taxonomy --------------------------------------------------------------------------------

TOPIC_FIELDS = ["code", "name", "keywords", "synonyms", "examples", "is_active", "position"]


@transaction.atomic
def topic_save(*, actor: "User", topic: NeedTopic | None, data: dict) -> NeedTopic:
    """Create (``topic`` None) or change a topic of the taxonomy that guides clustering."""
    if not can_edit_topics(actor):
        raise PermissionDenied()
    code = data["code"].strip()
    # pk=None (a new topic) matches no row, so it excludes nothing; the stubs reject None
    if NeedTopic.objects.filter(code=code).exclude(pk=getattr(topic, "pk", None)).exists():  # type: ignore[misc]
        raise NeedsError(
            "duplicate_code", _("编码 %(code)s 已被使用。") % {"code": code}, field="code"
        )
    if not data["name"].strip():
        raise NeedsError("required", _("请填写名称。"), field="name")
    before = snapshot(topic, TOPIC_FIELDS) if topic else {}
    topic = topic or NeedTopic()
    for name in TOPIC_FIELDS:
        value = data[name]
        setattr(topic, name, value.strip() if isinstance(value, str) else value)
    topic.save()
    audit_record(
        actor=actor,
        action="update" if before else "create",
        obj=topic,
        changes=diff(before, snapshot(topic, TOPIC_FIELDS)),
    )
    return topic
