"""The public certificate check (证书查验): no login. Anyone holding a code sees the partly
masked name, the program, its dates and the issuer — or a clear "证书不存在" with status 404."""

from django.shortcuts import redirect, render
from django.urls import reverse

from ganxun.core.ratelimit import ratelimit
from ganxun.outcomes import selectors
from ganxun.outcomes.models.graduation import normalize_code


def verify(request):
    """The form; a submitted code goes to its own address so it can be bookmarked."""
    code = normalize_code(request.GET.get("code", ""))
    if code:
        return redirect(reverse("verify_code", args=[code]))
    return render(request, "outcomes/verify.html", {"cert": None, "asked": False})


# Per account, or per address for the public: a person checks a few certificates, not hundreds
# (no enumerating codes).
@ratelimit("certificate_verify", "60/m", key="user", methods=None)
def verify_code(request, code):
    cert = selectors.certificate_by_code(code)
    status = 200 if cert else 404
    context = {"cert": cert, "asked": True, "code": code[:40]}
    return render(request, "outcomes/verify.html", context, status=status)
