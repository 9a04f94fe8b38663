"""The organizers' closed-loop completion view of a program."""

from ganxun.core.http import require
from ganxun.outcomes import policies, selectors
from ganxun.outcomes.loop import loop_completion
from ganxun.outcomes.views.common import program_page


@require(policies.can_see_summary)
def loop(request, pk):
    program = selectors.get_managed_program_for(request.user, pk)
    return program_page(
        request, "outcomes/loop.html", program, "loop", {"c": loop_completion(program)}
    )
