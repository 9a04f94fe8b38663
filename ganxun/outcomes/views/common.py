"""What the outcomes views share: the program's outcome tabs and posting forms to services."""

from functools import partial

from django.utils.translation import gettext_lazy

from ganxun.core.http import form_page_of, tabbed_page
from ganxun.outcomes import policies

TABS = [
    ("summary", gettext_lazy("四级评估"), "outcomes:summary"),
    ("graduation", gettext_lazy("结业"), "outcomes:graduation"),
    ("loop", gettext_lazy("学习闭环"), "outcomes:loop"),
    ("outcomes", gettext_lazy("学用成果"), "outcomes:program_outcomes"),
    ("followups", gettext_lazy("一线调研"), "outcomes:followups"),
    ("showcase", gettext_lazy("成果展示"), "outcomes:showcase"),
]


program_page = tabbed_page(
    TABS, extra=lambda request, program: {"can_manage": policies.can_manage(request.user, program)}
)
form_in = partial(form_page_of, "outcomes/form.html")  # the page of an outcomes form_view
