"""From free-text answers to a confirmed list of common needs.

``cluster_run_start`` starts the background job (``needs.jobs``) that splits each answer into
need statements, clusters them and stores the clusters. Administrators then rename, merge,
split and discard clusters, and confirm the result as the survey's ``CommonNeed`` list, kept
with its counts.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record
from ganxun.core.errors import PermissionDenied
from ganxun.core.jobs import job_start
from ganxun.core.scoping import children_of, unscoped
from ganxun.needs.clustering import ClusterResult
from ganxun.needs.errors import NeedsError
from ganxun.needs.models import (
    ClusterMember,
    ClusterRun,
    CommonNeed,
    NeedCluster,
    NeedsSurvey,
    NeedTopic,
)
from ganxun.needs.policies import manages_survey
from ganxun.needs.taxonomy import Taxonomy, Topic, load_taxonomy
from ganxun.needs.text import split_statements
from ganxun.surveys.models import Answer, Question, Response

JOB_KIND = "needs_cluster"
MAX_K = 200
LABEL_MAX = 60


def _require_manager(actor, survey: NeedsSurvey) -> None:
    if not manages_survey(actor, survey):
        raise PermissionDenied()


# --- starting a run ------------------------------------------------------------------------------


@transaction.atomic
def cluster_run_start(*, actor, survey: NeedsSurvey, question: Question, k: int | None = None):
    _require_manager(actor, survey)
    if question.questionnaire_id != survey.questionnaire_id or not question.is_text:
        raise NeedsError(
            "not_text_question", _("只能对本问卷的文字题做需求归集。"), field="question"
        )
    if k is not None and not 1 <= k <= MAX_K:
        raise NeedsError(
            "bad_k",
            _("类别数须在 1 到 %(MAX_K)s 之间，或留空自动确定。") % {"MAX_K": MAX_K},
            field="k",
        )
    run = ClusterRun.objects.create(
        survey=survey, question=question, requested_k=k, created_by=actor
    )
    job = job_start(
        actor=actor, kind=JOB_KIND, title=f"归集共性需求：{survey.title}", params={"run_id": run.pk}
    )
    run.job_id = job.pk
    run.save(update_fields=["job_id"])
    audit_record(actor=actor, action="create", obj=run, changes={"k": [None, k]})
    return run, job


# --- what the job does ---------------------------------------------------------------------------


@dataclass
class Statement:
    respondent_id: int
    answer_id: int
    text: str


def collect_statements(survey: NeedsSurvey, question: Question) -> tuple[list[Statement], int]:
    """The separate needs in every submitted answer, each once per respondent.

    Returns the statements and how many repeats were dropped (an answer pasted 50 times by one
    respondent counts once).
    """
    # scope: every submitted answer to the held survey's question: clustering reads them whole
    with unscoped():
        rows = (
            Answer.objects.filter(
                question=question,
                response__status=Response.Status.SUBMITTED,
                response__respondent__survey=survey,
            )
            .exclude(text="")
            .values_list("pk", "response__respondent__pk", "text")
            .order_by("pk")
        )
        seen, statements, repeats = set(), [], 0
        for answer_id, respondent_id, text in rows:
            for piece in split_statements(text) or [text]:
                if (respondent_id, piece) in seen:
                    repeats += 1
                    continue
                seen.add((respondent_id, piece))
                statements.append(Statement(respondent_id, answer_id, piece))
    return statements, repeats


def taxonomy_from_db() -> Taxonomy:
    """The administrators' taxonomy; the shipped file if the table is still empty."""
    topics = list(NeedTopic.objects.filter(is_active=True))
    if not topics:
        return load_taxonomy()
    return Taxonomy(
        tuple(
            Topic(
                code=t.code,
                name=t.name,
                keywords=tuple(_terms(t.keywords)),
                synonyms=tuple(_terms(t.synonyms)),
                examples=tuple(line.strip() for line in t.examples.splitlines() if line.strip()),
            )
            for t in topics
        )
    )


def _terms(text: str) -> list[str]:
    """Terms one per line; commas and 、 also separate (administrators type lists both ways)."""
    for sep in ("，", ",", "、"):
        text = text.replace(sep, "\n")
    return [line.strip() for line in text.splitlines() if line.strip()]


@transaction.atomic
def store_clusters(
    run: ClusterRun, statements: list[Statement], result: ClusterResult, repeats: int
) -> None:
    """Write the clusters and members of a finished run (the job's last step)."""
    for position, cluster in enumerate(result.clusters):
        row = NeedCluster.objects.create(
            run=run,
            label=cluster.label[:LABEL_MAX],
            topic_code=cluster.topic,
            keywords=cluster.keywords,
            is_other=cluster.is_other,
            position=position,
        )
        representatives = set(cluster.representatives)
        ClusterMember.objects.bulk_create(
            [
                ClusterMember(
                    cluster=row,
                    respondent_id=statements[i].respondent_id,
                    answer_id=statements[i].answer_id,
                    text=statements[i].text[:500],
                    is_representative=i in representatives,
                )
                for i in cluster.members
            ]
        )
    skipped: dict[str, int] = defaultdict(int)
    for _index, reason in result.skipped:
        skipped[reason] += 1
    if repeats:
        skipped["duplicate"] += repeats
    run.statements = len(statements) - len(result.skipped)
    run.respondents = len({s.respondent_id for s in statements})
    run.skipped = dict(skipped)
    run.status = ClusterRun.Status.READY
    run.save(update_fields=["statements", "respondents", "skipped", "status"])


# --- curation ------------------------------------------------------------------------------------


def _editable_run(actor, run: ClusterRun) -> None:
    _require_manager(actor, run.survey)
    if run.status not in (ClusterRun.Status.READY, ClusterRun.Status.CONFIRMED):
        raise NeedsError("run_not_ready", _("聚类尚未完成，暂不能调整。"))


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise NeedsError("required", _("请填写需求名称。"), field="label")
    if len(label) > LABEL_MAX:
        raise NeedsError(
            "label_too_long",
            _("名称不超过 %(LABEL_MAX)s 字。") % {"LABEL_MAX": LABEL_MAX},
            field="label",
        )
    return label


@transaction.atomic
def cluster_rename(*, actor, cluster: NeedCluster, label: str) -> NeedCluster:
    _editable_run(actor, cluster.run)
    label = _clean_label(label)
    audit_record(
        actor=actor, action="update", obj=cluster, changes={"label": [cluster.label, label]}
    )
    cluster.label, cluster.is_other = label, False
    cluster.save(update_fields=["label", "is_other"])
    return cluster


@transaction.atomic
def cluster_discard(*, actor, cluster: NeedCluster, discarded: bool = True) -> NeedCluster:
    _editable_run(actor, cluster.run)
    audit_record(
        actor=actor,
        action="update",
        obj=cluster,
        changes={"discarded": [cluster.discarded, discarded]},
    )
    cluster.discarded = discarded
    cluster.save(update_fields=["discarded"])
    return cluster


@transaction.atomic
def clusters_merge(
    *, actor, run: ClusterRun, cluster_ids: list[int], label: str = ""
) -> NeedCluster:
    """Fold several clusters into the largest of them; its label stays unless a new one is given."""
    _editable_run(actor, run)
    chosen = children_of(run, NeedCluster, "run").filter(pk__in=cluster_ids)
    clusters = list(chosen.annotate(n=Count("members")))
    if len(clusters) < 2:
        raise NeedsError("merge_needs_two", _("请至少选择两个类别进行合并。"))
    target = max(clusters, key=lambda c: (c.n, -c.pk))
    others = [c for c in clusters if c.pk != target.pk]
    children_of(others, ClusterMember, "cluster").update(cluster=target)
    children_of(run, NeedCluster, "run").filter(pk__in=[c.pk for c in others]).delete()
    target.label = _clean_label(label) if label.strip() else target.label
    target.is_other = target.is_other and all(c.is_other for c in others)
    target.discarded = False
    target.save(update_fields=["label", "is_other", "discarded"])
    audit_record(
        actor=actor,
        action="update",
        obj=target,
        changes={"merged": [[c.label for c in others], target.label]},
    )
    return target


@transaction.atomic
def cluster_split(*, actor, cluster: NeedCluster, member_ids: list[int], label: str) -> NeedCluster:
    """Move the chosen statements out of a cluster into a new one."""
    _editable_run(actor, cluster.run)
    label = _clean_label(label)
    all_members = children_of(cluster, ClusterMember, "cluster")
    members = all_members.filter(pk__in=member_ids)
    moving, total = members.count(), all_members.count()
    if moving == 0:
        raise NeedsError("split_needs_members", _("请勾选要拆分出去的表述。"))
    if moving == total:
        raise NeedsError("split_all", _("不能把全部表述都拆走；如要改名请直接重命名。"))
    new = NeedCluster.objects.create(
        run=cluster.run, label=label, position=cluster.position, keywords=[]
    )
    members.update(cluster=new, is_representative=False)
    audit_record(
        actor=actor,
        action="create",
        obj=new,
        changes={"split_from": [cluster.label, label], "n": [None, moving]},
    )
    return new


@transaction.atomic
def run_confirm(*, actor, run: ClusterRun, shares: dict[int, dict]) -> list[CommonNeed]:
    """The kept clusters become the survey's common needs, ranked by how many people raised them.

    ``shares`` are the per-group shares of each cluster (computed by the page's selector), kept
    with the need. A new confirmation replaces the survey's previous list.
    """
    _editable_run(actor, run)
    # scope: the clusters of a run the actor may edit (_editable_run) and its survey's needs
    with unscoped():
        clusters = list(
            # The unsorted bucket is no need until someone renames or merges it.
            NeedCluster.objects.filter(run=run, discarded=False, is_other=False)
            .annotate(
                people=Count("members__respondent", distinct=True), statements=Count("members")
            )
            .order_by("-people", "position", "pk")
        )
        examples = _examples([c.pk for c in clusters])
        CommonNeed.objects.filter(survey=run.survey).delete()
    if not clusters:
        raise NeedsError("nothing_to_confirm", _("没有保留的类别，无法确认。"))
    needs = CommonNeed.objects.bulk_create(
        [
            CommonNeed(
                survey=run.survey,
                run=run,
                position=position,
                label=c.label,
                respondent_count=c.people,
                statement_count=c.statements,
                share=round(c.people / run.respondents, 4) if run.respondents else 0,
                examples=examples.get(c.pk, []),
                group_shares=shares.get(c.pk, {}),
                confirmed_by=actor,
            )
            for position, c in enumerate(clusters, start=1)
        ]
    )
    confirmed = children_of(run.survey, ClusterRun, "survey")
    confirmed.filter(status=ClusterRun.Status.CONFIRMED).update(status=ClusterRun.Status.READY)
    run.status = ClusterRun.Status.CONFIRMED
    run.save(update_fields=["status"])
    audit_record(
        actor=actor, action="update", obj=run.survey, changes={"common_needs": [None, len(needs)]}
    )
    return needs


def _examples(cluster_ids: list[int], n: int = 3) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = (
        ClusterMember.objects.filter(cluster_id__in=cluster_ids)
        .order_by("cluster_id", F("is_representative").desc(), "pk")
        .values_list("cluster_id", "text")
    )
    for cluster_id, text in rows:
        if len(out[cluster_id]) < n and text not in out[cluster_id]:
            out[cluster_id].append(text)
    return out
