"""`ganxun import-roster FILE --org CODE [--commit] [--create-units] [--json]`

For operators: the same import the web page runs, acting as the system inside the named org's
subtree. Without --commit it only previews and writes nothing.
"""

import json
from pathlib import Path

from django.core.management.base import CommandError

from ganxun.core.commands import ScopedCommand
from ganxun.core.context import RequestInfo, request_info
from ganxun.orgs.models import Org
from ganxun.orgs.roster.errors import RosterFileError
from ganxun.orgs.roster.importer import ImportOptions, ImportSummary, run_import
from ganxun.orgs.roster.plan import ERROR, NEW, UNCHANGED, UPDATE


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = "导入干部花名册（.xlsx/.xls/.csv）；不加 --commit 时只预览，不写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件路径")
        parser.add_argument("--org", required=True, help="导入范围：组织编码（只导入其下的单位）")
        parser.add_argument("--commit", action="store_true", help="写入数据库（默认只预览）")
        parser.add_argument(
            "--create-units", action="store_true", help="找不到的单位在 --org 之下自动新建"
        )
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            return self._fail(options, f"找不到文件：{path}")
        root = Org.objects.filter(code=options["org"]).first()
        if root is None:
            return self._fail(options, f"没有编码为 {options['org']} 的组织。")
        import_options = ImportOptions(
            root=root,
            commit=options["commit"],
            create_units_under=root if options["create_units"] else None,
            filename=path.name,
        )
        try:
            with request_info(RequestInfo(channel="cli")):
                summary = run_import(path, import_options)
        except RosterFileError as exc:
            return self._fail(options, exc.message)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False))
        else:
            self._print(summary, committed=options["commit"])

    def _fail(self, options, message: str):
        if options["json"]:
            # the same shape, with the file-level refusal as an error that has no row
            body = {"rows": 0, "new": 0, "updated": 0, "unchanged": 0}
            self.stdout.write(
                json.dumps(
                    {**body, "errors": [{"row": None, "column": None, "message": message}]},
                    ensure_ascii=False,
                )
            )
        raise CommandError(message)

    def _print(self, summary: ImportSummary, *, committed: bool) -> None:
        c = summary.counts
        self.stdout.write(
            f"工作表“{summary.sheet}”，表头在第 {summary.header_row} 行；读取 {summary.rows} 行："
            f"新增 {c[NEW]}，更新 {c[UPDATE]}，未变 {c[UNCHANGED]}，有错误 {c[ERROR]}。"
        )
        for error in summary.errors:
            self.stdout.write(f"  {error}")
        if summary.created_units:
            self.stdout.write(f"新建单位：{'、'.join(summary.created_units)}")
        if committed:
            self.stdout.write(self.style.SUCCESS("已写入（有错误的行未导入）。"))
        else:
            self.stdout.write("这是预览，未写入任何数据；确认无误后加 --commit 导入。")
