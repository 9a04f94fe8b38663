"""What the importer reports: a refusal of the whole file, or an error in one cell of one row."""

from dataclasses import dataclass

from ganxun.orgs.errors import OrgError


class RosterFileError(OrgError):
    """The file as a whole cannot be imported (not a spreadsheet, encrypted, no header…)."""


class CellError(ValueError):
    """One cell's value cannot be used; ``str(exc)`` says what is wrong and how to fix it."""


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as Excel shows it
    column: str  # the column header as written in the file
    message: str  # what is wrong and what would fix it, in Chinese
    code: str = "invalid"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"【{self.column}】" if self.column else ""
        return f"第 {self.row} 行{where}{self.message}"
