"""The taxonomy of cadre-training topics that guides clustering. Pure data, no Django.

A topic has keywords (what it is called), synonyms (other and colloquial ways to say it) and
example sentences. The shipped file is ``data/taxonomy.json``; in the running system the
``NeedTopic`` table (seeded from that file, edited by administrators) is the source.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

SHIPPED = Path(__file__).with_name("data") / "taxonomy.json"


@dataclass(frozen=True)
class Topic:
    code: str
    name: str
    keywords: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...] = field(default_factory=tuple)

    @classmethod
    def from_dict(cls, data: dict) -> "Taxonomy":
        return cls(
            tuple(
                Topic(
                    code=t["code"],
                    name=t["name"],
                    keywords=tuple(t.get("keywords", ())),
                    synonyms=tuple(t.get("synonyms", ())),
                    examples=tuple(t.get("examples", ())),
                )
                for t in data.get("topics", ())
            )
        )

    def as_dict(self) -> dict:
        return {
            "version": 1,
            "topics": [
                {
                    "code": t.code,
                    "name": t.name,
                    "keywords": list(t.keywords),
                    "synonyms": list(t.synonyms),
                    "examples": list(t.examples),
                }
                for t in self.topics
            ],
        }

    def terms(self) -> frozenset[str]:
        """Every keyword and synonym, lower-cased (used to rescue short answers like “PPT”)."""
        return frozenset(
            term.lower() for t in self.topics for term in (*t.keywords, *t.synonyms) if term
        )


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    with open(path or SHIPPED, encoding="utf-8") as fh:
        return Taxonomy.from_dict(json.load(fh))
