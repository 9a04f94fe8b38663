"""Closed-loop completion across a program's trainees (组织者视图): for every unit and every
step, how many trainees completed it, and the same by the trainees' work units (单位). Counts
come from ``programs.loop`` — the same definition as the trainee's own page."""

from dataclasses import dataclass, field

from ganxun.outcomes.progress import trainees_of
from ganxun.programs.loop import complete, loop_progress
from ganxun.programs.selectors import program_units


@dataclass
class CompletionRow:
    label: str
    cells: list[tuple[int, int]] = field(default_factory=list)  # (completed, out of) per step


def loop_completion(program) -> dict:
    units = program_units(program)
    trainees = trainees_of(program)
    steps = program.step_labels()
    progress = loop_progress(program, trainees, units)
    by_unit = []
    for unit in units:
        row = CompletionRow(unit.title)
        for kind, _label in steps:
            relevant = [t for t in trainees if progress[(t.pk, unit.pk)][kind]["total"]]
            done = sum(complete(progress[(t.pk, unit.pk)][kind]) for t in relevant)
            row.cells.append((done, len(relevant)))
        by_unit.append(row)
    orgs: dict[int, CompletionRow] = {}
    counts: dict[int, list[list[int]]] = {}
    for t in trainees:
        org = t.cadre.unit
        orgs.setdefault(org.pk, CompletionRow(org.name))
        cells = counts.setdefault(org.pk, [[0, 0] for _ in steps])
        for i, (kind, _label) in enumerate(steps):
            for unit in units:
                step = progress[(t.pk, unit.pk)][kind]
                if step["total"]:
                    cells[i][1] += 1
                    cells[i][0] += complete(step)
    for pk, row in orgs.items():
        row.cells = [tuple(c) for c in counts[pk]]
    return {
        "steps": steps,
        "by_unit": by_unit,
        "by_org": list(orgs.values()),
        "trainees": len(trainees),
    }
