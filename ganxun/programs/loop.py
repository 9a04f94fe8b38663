"""The units' closed loop (学习闭环), one definition for the trainee's page and the organizers'
completion view: per (trainee, unit) and step, done and total.

  reading / online  materials of the unit the trainee ticked (books / videos);
  sessions          the unit's scheduled sessions of the trainee's batch that the trainee
                    checked in at (``checkin.Attendance`` through the reverse relation — the
                    check-in app sits above programs, so no import) over those planned;
  summary           the unit's outcome summary filed (0 or 1 of 1).

A step is complete when total > 0 and done ≥ total. Queries are bounded by the number of
sessions and step records, never by the number of trainees.
"""

from collections import defaultdict

from ganxun.catalog.models import Material
from ganxun.core.scoping import children_of
from ganxun.programs.models import Program, ProgramTrainee, ProgramUnit, Session, StepRecord


def _expected(session_batch, trainee: ProgramTrainee) -> bool:
    return not trainee.batch or session_batch is None or session_batch == trainee.batch


def loop_progress(
    program: Program, trainees: list[ProgramTrainee], units: list[ProgramUnit]
) -> dict[tuple[int, int], dict[str, dict]]:
    """(trainee id, unit id) → step kind → {"done", "total", …} (reading/online also list
    ``items`` as (material, done); summary carries ``text``)."""
    sessions = list(
        children_of(program, Session, "program")
        .filter(status=Session.Status.SCHEDULED)
        .order_by()
        .values_list("pk", "unit_id", "batch")
    )
    cadre_ids = [t.cadre_id for t in trainees]
    attended = set(
        children_of(program, Session, "program")
        .filter(
            status=Session.Status.SCHEDULED,
            attendances__cadre_id__in=cadre_ids,
        )
        .order_by()
        .values_list("pk", "attendances__cadre_id")
    )
    records = (
        children_of(list(trainees), StepRecord, "trainee")
        .filter(unit__in=[u.pk for u in units])
        .values_list("trainee_id", "unit_id", "kind", "material_id", "text")
    )
    ticked: dict[tuple[int, int], set] = defaultdict(set)
    summaries: dict[tuple[int, int], str] = {}
    for trainee_id, unit_id, kind, material_id, text in records:
        if kind == "summary":
            summaries[(trainee_id, unit_id)] = text
        else:
            ticked[(trainee_id, unit_id)].add((kind, material_id))
    out: dict[tuple[int, int], dict[str, dict]] = {}
    for unit in units:
        books = [m for m in unit.materials.all() if m.kind != Material.Kind.VIDEO]
        videos = [m for m in unit.materials.all() if m.kind == Material.Kind.VIDEO]
        unit_sessions = [(pk, batch) for pk, u, batch in sessions if u == unit.pk]
        for t in trainees:
            key = (t.pk, unit.pk)
            mine = ticked.get(key, set())
            planned = [pk for pk, batch in unit_sessions if _expected(batch, t)]
            steps = {}
            for kind, items in (("reading", books), ("online", videos)):
                done = [(m, (kind, m.pk) in mine) for m in items]
                steps[kind] = {
                    "done": sum(d for _m, d in done),
                    "total": len(items),
                    "items": done,
                }
            steps["sessions"] = {
                "done": sum((pk, t.cadre_id) in attended for pk in planned),
                "total": len(planned),
            }
            text = summaries.get(key)
            steps["summary"] = {"done": int(text is not None), "total": 1, "text": text}
            out[key] = steps
    return out


def complete(step: dict) -> bool:
    return step["total"] > 0 and step["done"] >= step["total"]
