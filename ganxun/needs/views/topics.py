"""The taxonomy of need topics that guides clustering, kept by administrators."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ganxun.core.http import handle_form, require
from ganxun.needs import policies, selectors, services
from ganxun.needs.forms import TopicForm
from ganxun.needs.models import NeedTopic


@require(policies.can_view_topics)
def topic_list(request):
    return render(
        request,
        "needs/topics.html",
        {"topics": NeedTopic.objects.all(), "can_edit": policies.can_edit_topics(request.user)},
    )


@require(policies.can_edit_topics)
def topic_edit(request, pk=None):
    topic = selectors.get_topic(pk) if pk is not None else None
    initial = TopicForm.initial_for(topic) if topic else {"is_active": True, "position": 0}
    form = TopicForm(request.POST or None, initial=initial)
    if handle_form(
        request,
        form,
        lambda: services.topic_save(actor=request.user, topic=topic, data=form.cleaned_data),
        success=_("已保存。下次归集共性需求时生效。"),
    ):
        return redirect("needs:topics")
    title = _("修改需求主题“%(topic)s”") % {"topic": topic.name} if topic else _("新建需求主题")
    return render(
        request, "needs/survey_form.html", {"form": form, "title": title, "back": "needs:topics"}
    )
