"""ganxun solve-batches: split a program's trainees (or a standalone JSON instance) into
staggered batches with the CP-SAT solver, and print the verdict."""

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ganxun.core.commands import ScopedCommand
from ganxun.programs import batching
from ganxun.programs.models import Program
from ganxun.programs.services.batches import program_instance

HELP_OUTPUT = (
    'Output (--json): {"status": "optimal|feasible|infeasible|unknown", '
    '"batches": {"<cadre id>": <batch index, 0-based, i.e. the position in "capacity">}, '
    '"reasons": [...], "warnings": [...], "sizes": [...], "seconds": s}. '
    "The pages show index 0 as 第1批."
)


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = (
        "分批错时参训求解：书记与行政正职分在不同批次，各单位每批至少 min-on-duty 比例在岗，"
        "每批不超过教室容量，其余尽量均衡。" + HELP_OUTPUT
    )

    def add_arguments(self, parser):
        parser.add_argument("program_id", nargs="?", type=int, help="培训项目编号")
        parser.add_argument(
            "--input",
            type=Path,
            help='独立实例 JSON：{"people": [{"id", "unit", "role": "secretary|head|member"}], '
            '"batches": 2, "min_on_duty": 0.4, "capacity": [n, n], "unit_sizes": {"单位": n}}',
        )
        parser.add_argument("--batches", type=int, help="批次数（项目默认取项目设置）")
        parser.add_argument("--min-on-duty", type=float, help="在岗比例，如 0.4")
        parser.add_argument("--time-limit", type=float, default=30.0, help="求解时限（秒）")
        parser.add_argument("--workers", type=int, default=1, help="求解线程数")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **opts):
        if bool(opts["program_id"]) == bool(opts["input"]):
            raise CommandError(
                _("请给出项目编号 PROGRAM_ID，或用 --input FILE.json 给出独立实例。")
            )
        inst = self._from_file(opts) if opts["input"] else self._from_program(opts)
        result = batching.solve(inst, time_limit=opts["time_limit"], workers=opts["workers"])
        if opts["json"]:
            json.dump(result.as_dict(), sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            self._print(result)

    def _from_file(self, opts) -> batching.Instance:
        try:
            data = json.loads(opts["input"].read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(
                _("无法读取 %(path)s：%(error)s") % {"path": opts["input"], "error": exc}
            ) from exc
        if isinstance(data, dict):
            if opts["batches"] is not None:
                data["batches"] = opts["batches"]
            if opts["min_on_duty"] is not None:
                data["min_on_duty"] = opts["min_on_duty"]
        try:
            return batching.parse_instance(data)
        except batching.BatchInputError as exc:
            raise CommandError(str(exc)) from exc

    def _from_program(self, opts) -> batching.Instance:
        # An operator's command: it reads the whole tree, like the demo and the backups.
        program = Program.objects.filter(pk=opts["program_id"]).first()
        if program is None:
            raise CommandError(_("没有编号为 %(id)s 的培训项目。") % {"id": opts["program_id"]})
        batches = opts["batches"] or max(program.batch_count, 2)
        share = opts["min_on_duty"] if opts["min_on_duty"] is not None else program.min_on_duty
        try:
            inst = program_instance(program, batches=batches, min_on_duty=share)
        except batching.BatchInputError as exc:
            raise CommandError(str(exc)) from exc
        if not inst.people:
            raise CommandError(_("项目“%(program)s”还没有学员。") % {"program": program})
        return inst

    def _print(self, result: batching.Result) -> None:
        labels = {
            "optimal": "最优",
            "feasible": "可行（未证明最优）",
            "infeasible": "无解",
            "unknown": "未得出结果",
        }
        self.stdout.write(f"结果：{labels[result.status]}，用时 {result.seconds:.2f} 秒")
        for b, n in enumerate(result.sizes):
            self.stdout.write(f"  第{b + 1}批：{n} 人")
        for reason in result.reasons:
            self.stdout.write(f"原因：{reason}")
        for warning in result.warnings:
            self.stdout.write(f"提示：{warning}")
