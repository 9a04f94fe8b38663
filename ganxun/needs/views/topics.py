"""The taxonomy of need topics that guides clustering, kept by administrators."""

from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.core.http import form_page_of, form_view, require
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


def _topic_form(request, topic):
    initial = TopicForm.initial_for(topic) if topic else {"is_active": True, "position": 0}
    return TopicForm(request.POST or None, initial=initial)


def _title(topic) -> str:
    return _("修改需求主题“%(topic)s”") % {"topic": topic.name} if topic else _("新建需求主题")


topic_edit = form_view(
    policies.can_edit_topics,
    get=lambda actor, pk: selectors.get_topic(pk) if pk is not None else None,
    form=_topic_form,
    save=lambda request, form, topic: services.topic_save(
        actor=request.user, topic=topic, data=form.cleaned_data
    ),
    success=gettext_lazy("已保存。下次归集共性需求时生效。"),
    to=lambda _topic, _saved: reverse("needs:topics"),
    page=form_page_of("needs/survey_form.html", title=_title, cancel=reverse_lazy("needs:topics")),
)
