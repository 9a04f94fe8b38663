"""`ganxun worker`: django_tasks_db's db_worker plus a heartbeat, so that the jobs of a worker that
was killed are picked up again by the others (or by this one after a restart)."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ganxun.ops.worker import HeartbeatThread


class Command(DbWorkerCommand):
    help = "Run the background task worker with a heartbeat (use this in production)"

    def handle(self, *args, **options):
        heartbeat = HeartbeatThread(options["worker_id"])  # a random id per process by default
        heartbeat.tick()  # the row exists (and lost jobs are recovered) before the first claim
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
