"""`ganxun worker`: django_tasks_db's db_worker plus a heartbeat, so that the jobs of a worker that
was killed are picked up again by the others (or by this one after a restart).

SIGTERM (systemd stopping or restarting the service) no longer waits for the whole job: the
running job stops at its next batch boundary (``core.jobs.STOP_REQUESTED``, checked by
``Progress.checkpoint``), goes back to the queue, and the worker exits; the next worker resumes
it where it stopped."""

from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ganxun.core.jobs import STOP_REQUESTED
from ganxun.core.periodic import start_periodic_threads
from ganxun.ops.worker import HeartbeatThread


class StoppingWorker(db_worker.Worker):
    def shutdown(self, signum, frame):
        STOP_REQUESTED.set()
        super().shutdown(signum, frame)


class Command(DbWorkerCommand):
    help = "Run the background task worker with a heartbeat (use this in production)"

    def handle(self, *args, **options):
        db_worker.Worker = StoppingWorker  # the command builds its worker from this name
        heartbeat = HeartbeatThread(options["worker_id"])  # a random id per process by default
        heartbeat.tick()  # the row exists (and lost jobs are recovered) before the first claim
        heartbeat.start()
        periodic = start_periodic_threads()  # the outbox's delivery, the reminders' clock
        try:
            super().handle(*args, **options)
        finally:
            for thread in periodic:
                thread.stop()
            heartbeat.stop()
