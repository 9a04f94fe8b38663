"""The clustering job: read the answers, cluster the need statements, store the clusters."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.core.jobs import job_handler, job_result_link
from ganxun.needs.clustering import cluster_needs
from ganxun.needs.curation import JOB_KIND, collect_statements, store_clusters, taxonomy_from_db
from ganxun.needs.models import ClusterRun


@job_handler(JOB_KIND)
def run_cluster_job(job, progress) -> dict:
    run = (
        ClusterRun.objects.visible_to(job.actor)
        .select_related("survey", "question")
        .get(pk=job.params["run_id"])
    )
    try:
        progress.start(3, _("正在读取回答…"))
        statements, repeats = collect_statements(run.survey, run.question)
        progress.advance(1, _("正在归集 %(count)s 条需求表述…") % {"count": len(statements)})
        result = cluster_needs([s.text for s in statements], taxonomy_from_db(), k=run.requested_k)
        progress.advance(2, _("正在保存…"))
        store_clusters(run, statements, result, repeats)
        progress.advance(3)
    except Exception:
        ClusterRun.objects.visible_to(job.actor).filter(pk=run.pk).update(
            status=ClusterRun.Status.FAILED
        )
        raise
    job.message = _("%(statements)s 条需求表述归为 %(count)s 类，请逐类核对后确认。") % {
        "statements": run.statements,
        "count": len(result.clusters),
    }
    return {"run_id": run.pk, "clusters": len(result.clusters)}


@job_result_link(JOB_KIND)
def cluster_job_link(job) -> tuple[str, str]:
    """A finished clustering leads to its clusters, where the organizer checks each one."""
    return reverse("needs:run", args=[job.params["run_id"]]), _("逐类核对归集结果")
