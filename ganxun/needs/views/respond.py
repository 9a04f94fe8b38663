"""Answering a needs survey on a phone: by personal link (no password) or from the trainee inbox.

Post/redirect/get throughout: a submission redirects to the thanks page, so a post the phone
repeats after a dropped connection lands on the same thanks page and never stores twice.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ganxun.core.http import require
from ganxun.core.ratelimit import hall_rate, ratelimit
from ganxun.needs import policies, selectors, services
from ganxun.needs.errors import LinkError
from ganxun.surveys.answering import Answers, items_with_saved


def _message(request, exc: LinkError, survey):
    return render(
        request,
        "needs/link_message.html",
        {"message": exc.message, "code": exc.code, "survey": survey},
        status=exc.status,
    )


def _form(request, respondent, urls: dict, items=None, status: int = 200):
    questionnaire = respondent.survey.questionnaire
    if items is None:
        items = items_with_saved(questionnaire, respondent.response)
    return render(
        request,
        "needs/respond.html",
        {
            "respondent": respondent,
            "questionnaire": questionnaire,
            "items": items,
            "errors": sum(1 for i in items if i.error),
            "submission_key": uuid.uuid4().hex,
            "action": urls["form"],
        },
        status=status,
    )


def _handle(request, respondent, urls: dict):
    """The one flow behind both entrances."""
    survey = respondent.survey
    if request.method == "POST":
        try:
            outcome = services.respondent_answer(
                respondent=respondent,
                data=Answers.from_post(request.POST),
                submit="submit" in request.POST,
                submission_key=request.POST.get("submission_key", ""),
            )
        except LinkError as exc:
            return _message(request, exc, survey)
        if outcome.submitted:
            return redirect(urls["done"])
        if "submit" in request.POST:
            return _form(request, respondent, urls, items=outcome.parsed.items)
        bad = len(outcome.parsed.errors)
        if bad:
            # Show the form again as posted, each error beside its question: nothing is lost.
            messages.warning(
                request, _("草稿已保存。有 %(bad)s 题的回答无效，请按提示修改。") % {"bad": bad}
            )
            return _form(request, respondent, urls, items=outcome.parsed.items)
        messages.success(request, _("草稿已保存，可稍后继续填写。"))
        return redirect(urls["form"])
    response = respondent.response
    if response is not None and response.is_submitted:
        return redirect(urls["done"])
    try:
        services.check_link_usable(respondent)
    except LinkError as exc:
        return _message(request, exc, survey)
    services.respondent_mark_opened(respondent=respondent)
    return _form(request, respondent, urls)


def _thanks(request, respondent, urls: dict):
    response = respondent.response
    if response is None or not response.is_submitted:
        return redirect(urls["form"])
    return render(request, "needs/thanks.html", {"respondent": respondent, "response": response})


def _link_urls(token: str) -> dict:
    return {"form": reverse("respond", args=[token]), "done": reverse("respond_done", args=[token])}


def _link_key(request) -> str:
    return f"link:{request.resolver_match.kwargs.get('token', '')}"


# The token is one respondent's credential: counted per link (one person answers it), and per
# account or address sized for a hall answering together through one Wi-Fi address. The token
# cannot be guessed; the limits only stop a client hammering links.
def _survey_limits(view):
    view = ratelimit("survey_link", "60/m", key=_link_key, methods=None)(view)
    return ratelimit("survey_address", hall_rate(4, "5m"), key="user", methods=None)(view)


@_survey_limits
@never_cache
def respond(request, token):
    """The personal link: the token is the credential, no login."""
    return _handle(request, selectors.respondent_by_token(token), _link_urls(token))


@_survey_limits
@never_cache
def respond_done(request, token):
    return _thanks(request, selectors.respondent_by_token(token), _link_urls(token))


# --- trainees with accounts: the inbox ------------------------------------------------------------


def _inbox_urls(respondent) -> dict:
    return {
        "form": reverse("needs:answer_mine", args=[respondent.pk]),
        "done": reverse("needs:answer_mine_done", args=[respondent.pk]),
    }


@require(policies.can_answer_as_trainee)
def inbox(request):
    context = {
        "invitations": selectors.trainee_open_surveys(request.user),
        "submitted": selectors.trainee_submitted_surveys(request.user),
    }
    return render(request, "needs/inbox.html", context)


@never_cache
@login_required
def answer_mine(request, rid):
    respondent = selectors.get_own_invitation(request.user, rid)
    return _handle(request, respondent, _inbox_urls(respondent))


@never_cache
@login_required
def answer_mine_done(request, rid):
    respondent = selectors.get_own_invitation(request.user, rid)
    return _thanks(request, respondent, _inbox_urls(respondent))
