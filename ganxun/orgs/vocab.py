"""The correspondence table and the personnel categories, read once, looked up by any spelling.

Used by the roster import (once per import), the cadre form and the API, so a rank or category
written 管理８级, '参公 ' or "Civil Servant" means the same everywhere.
"""

from dataclasses import dataclass

from ganxun.orgs.models import PersonnelCategory, RankTitle
from ganxun.orgs.ranks import (
    category_key,
    default_personnel_categories,
    default_ranks,
    rank_key,
)


@dataclass(frozen=True, slots=True)
class RankChoice:
    pk: int
    name: str
    system: str
    level: str  # "" when the table cannot place it


@dataclass(frozen=True, slots=True)
class CategoryChoice:
    pk: int
    name: str


class UnknownWord(ValueError):
    def __init__(self, written: str, accepted: list[str]):
        super().__init__(written)
        self.written = written
        self.accepted = accepted


class Vocabulary:
    def __init__(self, ranks=None, categories=None):
        """From the database, or from given rows (the shipped defaults: ``from_defaults``)."""
        if ranks is None:
            systems = dict(RankTitle.System.choices)
            ranks = [
                (r.pk, r.name, r.system, r.level, r.spellings, str(systems[r.system]))
                for r in RankTitle.objects.order_by("sort", "pk")
            ]
        if categories is None:
            categories = [
                (c.pk, c.name, c.spellings)
                for c in PersonnelCategory.objects.order_by("sort", "pk")
            ]
        self.ranks: dict[str, RankChoice] = {}
        self.rank_names: dict[int, RankChoice] = {}
        self.rank_examples: dict[str, list[str]] = {}
        for pk, name, system, level, spellings, system_label in ranks:
            choice = RankChoice(pk, name, system, level)
            self.rank_names[pk] = choice
            self.rank_examples.setdefault(system_label, []).append(name)
            for word in spellings:
                self.ranks.setdefault(rank_key(word), choice)
        self.categories: dict[str, CategoryChoice] = {}
        self.category_names: dict[int, CategoryChoice] = {}
        for pk, name, spellings in categories:
            choice = CategoryChoice(pk, name)
            self.category_names[pk] = choice
            for word in spellings:
                self.categories.setdefault(category_key(word), choice)

    @classmethod
    def from_defaults(cls) -> "Vocabulary":
        """The shipped table without a database (numbered in order), for pure tests."""
        systems = dict(RankTitle.System.choices)
        ranks = [
            (
                i,
                r["name"],
                r["system"],
                r["level"],
                [r["name"], *filter(None, r["synonyms"].split("、"))],
                str(systems[r["system"]]),
            )
            for i, r in enumerate(default_ranks(), start=1)
        ]
        categories = [
            (i, c["name"], [c["name"], c["code"], *filter(None, c["synonyms"].split("、"))])
            for i, c in enumerate(default_personnel_categories(), start=1)
        ]
        return cls(ranks, categories)

    def rank(self, written: str) -> RankChoice | None:
        """None for a blank cell; UnknownWord lists what is accepted."""
        key = rank_key(written)
        if not key:
            return None
        try:
            return self.ranks[key]
        except KeyError:
            raise UnknownWord(written, self.rank_hint()) from None

    def category(self, written: str) -> CategoryChoice | None:
        key = category_key(written)
        if not key:
            return None
        try:
            return self.categories[key]
        except KeyError:
            accepted = [c.name for c in self.category_names.values()]
            raise UnknownWord(written, accepted) from None

    def name_of(self, field: str, pk: int | None) -> str:
        """The name of a rank_title or personnel_category id, for previews and the audit."""
        if pk is None:
            return ""
        table = self.rank_names if field == "rank_title" else self.category_names
        choice = table.get(pk)
        return choice.name if choice else str(pk)

    def rank_hint(self) -> list[str]:
        """Per system, the accepted ranks; numbered series (管理一级 … 管理十级) as a range."""
        out = []
        for system, names in self.rank_examples.items():
            numbered = [n for n in names if "一级" in n or "十级" in n]
            if len(names) > 6 and numbered and names[0].endswith("一级"):
                shown = f"{names[0]}至{[n for n in names if n.endswith('级')][-1]}"
                rest = [n for n in names if not n.endswith("级")]
                shown += "、" + "、".join(rest) if rest else ""
            else:
                shown = "、".join(names)
            out.append(f"{system}：{shown}")
        return out
