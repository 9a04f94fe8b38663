"""The program's tab 通知记录: every message sent about the program, with how many were told,
delivered, failed and read (``messaging.told``); each leads to its recipients."""

from ganxun.core.errors import NotFound
from ganxun.core.http import paginate, require
from ganxun.messaging.told import policies as told_policies
from ganxun.messaging.told import selectors as told
from ganxun.programs import selectors
from ganxun.programs.views.common import program_page


@require(told_policies.can_see_told)
def program_told(request, pk):
    program = selectors.get_program_for(request.user, pk)
    if not told_policies.can_see_program_told(request.user, program):
        raise NotFound()
    page = paginate(request, told.program_messages(request.user, program), 30)
    counts = told.counts_of(page.object_list)
    rows = [(m, counts[m.pk]) for m in page.object_list]
    return program_page(
        request, "messaging/told_program.html", program, "told", {"page": page, "rows": rows}
    )
