"""Reading figures back out of the dashboard page and the Excel export, as a person would."""

import io
import re
from html.parser import HTMLParser

import openpyxl


class _Tables(HTMLParser):
    """Rows of text of every <table data-testid="table-…">, by that test id."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current = None
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (attrs.get("data-testid") or "").startswith("table-"):
            self.current = self.tables.setdefault(attrs["data-testid"][6:], [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def headline(html: str, key: str) -> str:
    match = re.search(rf'data-testid="h-{key}">([^<]*)<', html)
    return match.group(1).replace(",", "").rstrip("%") if match else ""


def number(text: str):
    """Page text back to the value: "1,234" → 1234, "80.0" → "80.0", "—" → None."""
    text = text.replace(",", "").strip()
    if text in ("—", ""):
        return None
    return int(text) if text.isdigit() else text


def workbook_sheets(content: bytes) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {
        ws.title.split(".", 1)[1]: [list(r) for r in ws.iter_rows(min_row=5, values_only=True)]
        for ws in book.worksheets
        if "." in ws.title  # data sheets are numbered; the stamp sheet 导出信息 is not
    }
