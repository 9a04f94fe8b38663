"""我的消息: the user's notices, newest first, with mark-as-read."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ganxun.core.errors import NotFound
from ganxun.core.http import paginate, require
from ganxun.enrollment import policies, selectors, services


@require(policies.can_read_inbox)
def inbox(request):
    page = paginate(request, selectors.my_notices(request.user), 20)
    unread = selectors.unread_count(request.user)
    return render(request, "enrollment/inbox.html", {"page": page, "unread": unread})


@require_POST
@require(policies.can_read_inbox)
def notice_read(request, pk):
    """Mark one notice read and follow its link (only the user's own notices are touched)."""
    notice = selectors.my_notices(request.user).filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    services.notices_mark_read(actor=request.user, notice_id=notice.pk)
    if request.POST.get("follow") and notice.url.startswith("/"):
        return redirect(notice.url)
    return redirect("enrollment:inbox")


@require_POST
@require(policies.can_read_inbox)
def notices_read_all(request):
    services.notices_mark_read(actor=request.user)
    return redirect("enrollment:inbox")
