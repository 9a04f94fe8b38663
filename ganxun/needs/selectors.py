"""Every read of needs surveys, cut to what the actor may see."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.errors import NotFound
from ganxun.core.scoping import children_of, unscoped
from ganxun.needs import links
from ganxun.needs.analysis import DIMENSIONS, dimension_groups
from ganxun.needs.models import (
    ClusterMember,
    ClusterRun,
    CommonNeed,
    NeedCluster,
    NeedsSurvey,
    NeedTopic,
    Respondent,
)
from ganxun.needs.policies import manages_survey
from ganxun.orgs.models import PATH_SEP, Org
from ganxun.surveys.models import Answer, Question, Questionnaire, Response

if TYPE_CHECKING:
    from ganxun.accounts.models import User

SUBMITTED = Q(response__status=Response.Status.SUBMITTED)


def _root(actor: "User") -> Org:
    """The actor's root org. The pages calling this admit staff by role; an account without an
    org failed on ``actor.org.path`` before, and fails here by name."""
    assert actor.org is not None, "an account without an org has no subtree"
    return actor.org


def _pk(pk) -> int:
    if not str(pk).isdigit():
        raise NotFound()
    return int(pk)


def get_survey_for(actor: "User", pk, *, manage: bool = False) -> NeedsSurvey:
    """Fetch-and-authorise. ``manage``: only surveys the actor may change and analyse."""
    survey = (
        NeedsSurvey.objects.visible_to(actor)
        .select_related("questionnaire", "questionnaire__org")
        .filter(pk=_pk(pk))
        .first()
    )
    if survey is None or (manage and not manages_survey(actor, survey)):
        raise NotFound()
    return survey


def survey_list(actor: "User") -> QuerySet[NeedsSurvey]:
    """Surveys with invitation and submission counts within the actor's subtree."""
    root = _root(actor)
    here = Q(respondents__unit__path__startswith=root.path)
    return (
        NeedsSurvey.objects.visible_to(actor)
        .select_related("questionnaire", "questionnaire__org")
        .annotate(
            invited=Count("respondents", filter=here, distinct=True),
            submitted=Count(
                "respondents",
                filter=here & Q(respondents__response__status=Response.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )


def get_respondent_for(actor: "User", survey: NeedsSurvey, pk) -> Respondent:
    respondent = (
        Respondent.objects.visible_to(actor)
        .select_related("survey__questionnaire", "unit")
        .filter(pk=_pk(pk), survey=survey)
        .first()
    )
    if respondent is None:
        raise NotFound()
    return respondent


def respondent_by_token(token: str) -> Respondent:
    """The personal link is the credential: the token's hash finds the invitation."""
    if not token or len(token) > 64:
        raise NotFound(_("链接无效，请核对链接或联系发放问卷的单位。"))
    # scope: the personal link is the credential (no actor): only its token's row is read
    with unscoped():
        respondent = (
            Respondent.objects.select_related("survey__questionnaire", "response", "unit")
            .filter(token_hash=links.token_hash(token))
            .first()
        )
    if respondent is None:
        raise NotFound(_("链接无效，请核对链接或联系发放问卷的单位。"))
    return respondent


def trainee_open_surveys(user) -> list[Respondent]:
    """A trainee's inbox: invitations to surveys that still accept answers, not yet submitted."""
    if not user.cadre_id:
        return []
    now = timezone.now()
    return list(
        Respondent.objects.visible_to(user)
        .filter(survey__questionnaire__status=Questionnaire.Status.OPEN)
        .filter(
            Q(survey__questionnaire__closes_at__isnull=True)
            | Q(survey__questionnaire__closes_at__gt=now)
        )
        .exclude(SUBMITTED)
        .select_related("survey__questionnaire", "response")
        .order_by("survey__questionnaire__closes_at", "pk")
    )


def trainee_submitted_surveys(user) -> list[Respondent]:
    """A trainee's history: the surveys they have submitted, the latest first."""
    if not user.cadre_id:
        return []
    return list(
        Respondent.objects.visible_to(user)
        .filter(SUBMITTED, cadre_id=user.cadre_id)
        .select_related("survey__questionnaire", "response")
        .order_by("-response__submitted_at", "-pk")
    )


def get_own_invitation(user, pk) -> Respondent:
    respondent = (
        Respondent.objects.visible_to(user)
        .filter(pk=_pk(pk), cadre_id=user.cadre_id)
        .select_related("survey__questionnaire", "response", "unit")
        .first()
        if user.cadre_id
        else None
    )
    if respondent is None:
        raise NotFound()
    return respondent


# --- tracking ------------------------------------------------------------------------------------


@dataclass
class Rate:
    label: str
    total: int = 0
    submitted: int = 0
    drafts: int = 0
    org: Org | None = None

    @property
    def percent(self) -> float:
        return round(self.submitted * 100 / self.total, 1) if self.total else 0.0


@dataclass
class Tracking:
    node: Org
    overall: Rate
    rows: list[Rate] = field(default_factory=list)


def tracking_node(actor: "User", survey: NeedsSurvey) -> Org:
    """The deeper of the actor's root and the survey's org: where the tracking view starts."""
    owner, root = survey.questionnaire.org, _root(actor)
    return owner if owner.path.startswith(root.path) else root


def tracking(actor: "User", survey: NeedsSurvey, node: Org) -> Tracking:
    """Response rate for ``node``'s subtree, with one row per child (and one for the node)."""
    per_unit = (
        Respondent.objects.visible_to(actor)
        .filter(survey=survey, unit__path__startswith=node.path)
        .values("unit__path")
        .annotate(
            total=Count("id"),
            submitted=Count("id", filter=SUBMITTED),
            drafts=Count("id", filter=Q(response__status=Response.Status.DRAFT)),
        )
        .order_by()
    )
    rates: dict[int | None, Rate] = {}
    for row in per_unit:
        child = _child_of(node, row["unit__path"])
        rate = rates.setdefault(child, Rate(""))
        rate.total += row["total"]
        rate.submitted += row["submitted"]
        rate.drafts += row["drafts"]
    children = Org.objects.visible_to(actor).in_bulk([c for c in rates if c is not None])
    rows = []
    for child_id, rate in rates.items():
        rate.org = children.get(child_id, node) if child_id else node
        rate.label = rate.org.name if child_id else _("%(node)s（本级）") % {"node": node.name}
        rows.append(rate)
    rows.sort(key=lambda r: (r.percent, r.label))
    overall = Rate(
        node.name,
        sum(r.total for r in rows),
        sum(r.submitted for r in rows),
        sum(r.drafts for r in rows),
    )
    return Tracking(node, overall, rows)


def _child_of(node: Org, unit_path: str) -> int | None:
    """The id of the child of ``node`` whose subtree holds ``unit_path`` (None: the node itself)."""
    rest = unit_path[len(node.path) :]
    segment = rest.split(PATH_SEP, 1)[0]
    return int(segment, 36) if segment else None


def non_respondents(actor: "User", survey: NeedsSurvey, node: Org) -> QuerySet[Respondent]:
    return (
        Respondent.objects.visible_to(actor)
        .filter(survey=survey, unit__path__startswith=node.path)
        .exclude(SUBMITTED)
        .select_related("unit", "response", "cadre")
        .order_by("unit__path", "name", "pk")
    )


# --- questions, clustering, common needs ----------------------------------------------------------


def survey_questions(survey: NeedsSurvey) -> list[Question]:
    questions = children_of(survey.questionnaire, Question, "questionnaire")
    return list(questions.select_related("section"))


def latest_runs(actor: "User", survey: NeedsSurvey) -> list[ClusterRun]:
    return list(
        ClusterRun.objects.visible_to(actor)
        .filter(survey=survey)
        .select_related("question")
        .annotate(n_clusters=Count("clusters", filter=Q(clusters__discarded=False)))[:10]
    )


def get_run_for(actor: "User", pk) -> ClusterRun:
    run = (
        ClusterRun.objects.visible_to(actor)
        .select_related("survey__questionnaire__org", "question")
        .filter(pk=_pk(pk))
        .first()
    )
    if run is None:
        raise NotFound()
    return run


def get_cluster_for(actor: "User", run: ClusterRun, pk) -> NeedCluster:
    cluster = NeedCluster.objects.visible_to(actor).filter(pk=_pk(pk), run=run).first()
    if cluster is None:
        raise NotFound()
    return cluster


def common_needs(actor: "User", survey: NeedsSurvey) -> QuerySet[CommonNeed]:
    return (
        CommonNeed.objects.visible_to(actor)
        .filter(survey=survey)
        .annotate(confirmed_courses=Count("courses", filter=Q(courses__status="confirmed")))
    )


def get_need_for(actor: "User", pk) -> CommonNeed:
    need = (
        CommonNeed.objects.visible_to(actor)
        .select_related("survey__questionnaire__org")
        .filter(pk=_pk(pk))
        .first()
    )
    if need is None:
        raise NotFound()
    return need


def get_topic(pk) -> NeedTopic:
    topic = NeedTopic.objects.filter(pk=_pk(pk)).first()
    if topic is None:
        raise NotFound()
    return topic


# --- clusters with group shares ------------------------------------------------------------------


@dataclass
class ClusterView:
    cluster: NeedCluster
    people: int
    statements: int
    examples: list[str]
    shares: dict = field(default_factory=dict)
    share_cells: list = field(default_factory=list)


def cluster_overview(run: ClusterRun, dim) -> tuple[list[ClusterView], list[tuple]]:
    """Clusters with size, typical statements and, per group of ``dim``, the share of that
    group's respondents (who answered the question) who raised the need. Five queries."""
    field_name = f"respondent__{dim.field}"
    with unscoped():  # scope: the clusters and answers of a run fetched in the actor's scope
        clusters = list(
            NeedCluster.objects.filter(run=run).annotate(
                people=Count("members__respondent", distinct=True), n=Count("members")
            )
        )
        examples = _cluster_examples([c.pk for c in clusters])
        answered = (
            Answer.objects.filter(
                question=run.question,
                response__status=Response.Status.SUBMITTED,
                response__respondent__survey=run.survey,
            )
            .exclude(text="")
            .values(g=F(f"response__{field_name}"))
            .annotate(n=Count("response", distinct=True))
            .order_by()
        )
        group_n = {row["g"]: row["n"] for row in answered}
        raised = (
            ClusterMember.objects.filter(cluster__run=run)
            .values("cluster_id", g=F(field_name))
            .annotate(n=Count("respondent", distinct=True))
            .order_by()
        )
        counts = {(row["cluster_id"], row["g"]): row["n"] for row in raised}
        groups = [
            (key, label, group_n[key]) for key, label in dimension_groups(dim) if group_n.get(key)
        ]
    views = []
    for c in clusters:
        shares = {key: round(counts.get((c.pk, key), 0) * 100 / n, 1) for key, _label, n in groups}
        cells = [(label, shares[key]) for key, label, _n in groups]
        views.append(ClusterView(c, c.people, c.n, examples.get(c.pk, []), shares, cells))
    views.sort(key=lambda v: (v.cluster.discarded, v.cluster.is_other, -v.people, v.cluster.pk))
    return views, groups


def _cluster_examples(cluster_ids: list[int], n: int = 3) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    rows = (
        ClusterMember.objects.filter(cluster_id__in=cluster_ids, is_representative=True)
        .order_by("cluster_id", "pk")
        .values_list("cluster_id", "text")
    )
    for cluster_id, text in rows:
        out.setdefault(cluster_id, [])
        if len(out[cluster_id]) < n:
            out[cluster_id].append(text)
    return out


def cluster_members(cluster: NeedCluster) -> list[ClusterMember]:
    members = children_of(cluster, ClusterMember, "cluster")
    return list(members.select_related("respondent__unit"))


def all_group_shares(run: ClusterRun) -> dict[int, dict]:
    """{cluster id: {dimension label: {group label: percent}}} for keeping with confirmed needs."""
    out: dict[int, dict] = {}
    for dim in DIMENSIONS:
        views, groups = cluster_overview(run, dim)
        labels = {key: label for key, label, _n in groups}
        for view in views:
            out.setdefault(view.cluster.pk, {})[str(dim.label)] = {
                labels[key]: pct for key, pct in view.shares.items()
            }
    return out
