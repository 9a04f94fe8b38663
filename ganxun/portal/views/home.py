"""The home page: the user's role panels and, once per session, the two-factor offer."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ganxun.accounts import twofactor
from ganxun.accounts.views import OFFER_DISMISSED
from ganxun.portal.dashboards import panels_for


@login_required
def home(request):
    offer = not request.session.get(OFFER_DISMISSED) and twofactor.is_offered(request.user)
    context = {"panels": panels_for(request.user), "offer_two_factor": offer}
    return render(request, "accounts/home.html", context)
