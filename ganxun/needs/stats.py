"""Cross-tabulation arithmetic and the "differs clearly from the rest" flag. Pure functions.

Percentages are shares of the group's respondents who answered the question, so a
multiple-choice row can add up to more than 100 %. A cell is flagged when the group's share
differs from everybody else's by Fisher's exact test on the 2×2 table (group / rest × chose /
did not), with Holm's correction over all cells of the table (many cells are compared at once,
so an uncorrected 5 % would flag something in almost every table). Rating means are compared
the same way with the Mann-Whitney U test. Groups or rests smaller than ``MIN_GROUP`` are not
tested: with a handful of answers no difference is "clear".
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from scipy.stats import fisher_exact, mannwhitneyu

ALPHA = 0.05
MIN_GROUP = 5


@dataclass
class Cell:
    count: int
    percent: float
    flag: str = ""  # "high" | "low" | ""
    p: float | None = None


@dataclass
class Row:
    key: object
    label: str
    n: int
    cells: list[Cell]
    mean: float | None = None
    mean_flag: str = ""
    mean_p: float | None = None


@dataclass
class Table:
    columns: list[str]
    rows: list[Row]
    total: Row
    rating: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def display_rows(self) -> list[tuple[Row, list[tuple[str, Cell]]]]:
        """Each group row with its cells paired to their column names (for labelled cells)."""
        return [(row, list(zip(self.columns, row.cells, strict=True))) for row in self.rows]

    @property
    def display_total(self) -> list[tuple[str, Cell]]:
        return list(zip(self.columns, self.total.cells, strict=True))

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.rows for c in r.cells if c.flag) + sum(
            1 for r in self.rows if r.mean_flag
        )


def percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def _mean(column_values: list[int], counts: list[int]) -> float | None:
    n = sum(counts)
    return (
        round(sum(v * c for v, c in zip(column_values, counts, strict=True)) / n, 2) if n else None
    )


def build_table(
    *,
    columns: list[tuple[object, str]],
    groups: list[tuple[object, str]],
    group_n: dict,
    counts: dict,
    total_n: int,
    total_counts: dict,
    rating: bool = False,
) -> Table:
    """``counts[(group, column)]`` respondents; ``group_n[group]`` respondents who answered."""
    keys = [key for key, _label in columns]
    rows = []
    for group, label in groups:
        n = group_n.get(group, 0)
        if not n:
            continue
        row_counts = [counts.get((group, key), 0) for key in keys]
        rows.append(
            Row(
                group,
                label,
                n,
                [Cell(c, percent(c, n)) for c in row_counts],
                mean=_mean(keys, row_counts) if rating else None,
            )
        )
    totals = [total_counts.get(key, 0) for key in keys]
    total = Row(
        None,
        _("合计"),
        total_n,
        [Cell(c, percent(c, total_n)) for c in totals],
        mean=_mean(keys, totals) if rating else None,
    )
    table = Table([label for _key, label in columns], rows, total, rating)
    flag(table, keys)
    return table


def flag(table: Table, keys: list) -> None:
    """Set ``flag`` on cells (and ``mean_flag`` on rating rows) that differ clearly."""
    tests = []  # (p, setter)
    for row in table.rows:
        rest_n = table.total.n - row.n
        if row.n < MIN_GROUP or rest_n < MIN_GROUP:
            continue
        for i, cell in enumerate(row.cells):
            rest_count = table.total.cells[i].count - cell.count
            odds = [[cell.count, row.n - cell.count], [rest_count, rest_n - rest_count]]
            p = float(fisher_exact(odds).pvalue)
            high = cell.count / row.n > rest_count / rest_n
            tests.append((p, _cell_setter(cell, "high" if high else "low")))
        if table.rating:
            tests.append(_mean_test(row, table.total, keys, rest_n))
    for p, setter in holm(tests):
        setter(p)


def _cell_setter(cell: Cell, direction: str):
    def setter(p: float) -> None:
        cell.p = p
        cell.flag = direction if p < ALPHA else ""

    return setter


def _mean_test(row: Row, total: Row, keys: list, rest_n: int):
    mine = [k for k, c in zip(keys, row.cells, strict=True) for _ in range(c.count)]
    rest = [
        k
        for k, c, t in zip(keys, row.cells, total.cells, strict=True)
        for _ in range(t.count - c.count)
    ]
    p = 1.0 if len(set(mine + rest)) < 2 else float(mannwhitneyu(mine, rest).pvalue)
    rest_mean = sum(rest) / len(rest)

    def setter(adjusted: float) -> None:
        row.mean_p = adjusted
        direction = "high" if (row.mean or 0) > rest_mean else "low"
        row.mean_flag = direction if adjusted < ALPHA else ""

    return p, setter


def holm(tests: list[tuple[float, object]]) -> list[tuple[float, object]]:
    """Holm–Bonferroni adjusted p-values (monotone), paired with what each test belongs to."""
    ordered = sorted(tests, key=lambda t: t[0])
    m = len(ordered)
    adjusted, running = [], 0.0
    for i, (p, what) in enumerate(ordered):
        running = max(running, min(1.0, (m - i) * p))
        adjusted.append((running, what))
    return adjusted
