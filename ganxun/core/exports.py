"""Every Excel export says who exported it and when (PIPL 第51条, 等保 安全审计).

``stamp_workbook`` puts "导出人 … 导出时间 …" in the printed header of every sheet (what a
printout or a PDF of it carries, like a watermark), in the document properties (author,
comments), and on a last sheet 导出信息 that also names what was exported. Data sheets keep their
rows untouched, so an exported roster still imports. The export itself is audited by the view.
"""

from django.utils import timezone

INFO_SHEET = "导出信息"


def export_stamp(actor) -> str:
    name = getattr(actor, "display_name", "") or ""
    who = f"{actor.username}（{name}）" if name else getattr(actor, "username", "system")
    return f"导出人：{who}  导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"


def stamp_workbook(book, actor, *, what: str = "", note: str = "") -> None:
    """Call after the data sheets are written and before ``book.close()``."""
    stamp = export_stamp(actor)
    printable = stamp.replace("&", "&&")  # & starts a header code in Excel
    for sheet in book.worksheets():
        sheet.set_header(f"&L{printable}&R内部资料 注意保密")
        sheet.set_footer("&R第 &P 页 / 共 &N 页")
    book.set_properties(
        {"author": getattr(actor, "username", "system"), "comments": stamp, "title": what}
    )
    info = book.add_worksheet(INFO_SHEET)
    info.set_column(0, 0, 90)
    lines = [stamp, f"导出内容：{what}" if what else "", note]
    lines.append("本文件含个人信息，仅限工作需要使用，不得外传；用毕请删除。")
    for row, line in enumerate(line for line in lines if line):
        info.write_string(row, 0, line)
