from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running task worker, touched every few seconds by a thread of the worker.

    A job whose task was claimed by a worker that stopped beating died with it; the next worker
    re-queues it (see ``ganxun.ops.worker``). /readyz and /metrics read the fresh rows.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "任务进程心跳"

    def __str__(self):
        return f"{self.hostname}:{self.pid}"
