"""The four-level summary page of a program (四级评估)."""

from ganxun.core.http import require
from ganxun.outcomes import policies, selectors
from ganxun.outcomes.summary import program_summary
from ganxun.outcomes.views.common import program_page


@require(policies.can_see_summary)
def summary(request, pk):
    program = selectors.get_readable_program_for(request.user, pk)
    context = {"s": program_summary(program)}
    return program_page(request, "outcomes/summary.html", program, "summary", context)
