"""The ratings block on a lecturer's page in the faculty pool (catalog), with the same
anonymity rule as the evaluation pages."""

from django import template

from ganxun.evaluations import policies
from ganxun.evaluations.selectors import dimension_results

register = template.Library()


@register.inclusion_tag("evaluations/_lecturer_ratings.html", takes_context=True)
def lecturer_ratings(context, lecturer):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    if not policies.can_see_lecturer_results(user, lecturer):
        return {"show": False}
    results = dimension_results(user, "lecturer", lecturer)
    return {
        "show": True,
        "lecturer": lecturer,
        "results": results,
        "chart": {"questions": [], "means": [], "distribution": [], "trend": results["trend"]},
    }
