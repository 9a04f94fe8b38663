"""Rendering a notice kind's text.

CONTRACT (session 5 skeleton — the templates helper replaces the body, the signature stays):
``render(kind, context, org_id=None) -> Rendered`` gives the title, the body and the SMS text of
a notice of ``kind`` for one recipient, from the kind's template (an administrator's override for
the org or its ancestors, else the kind's default). Until kinds are registered, a kind renders
``context["title"]`` and ``context["body"]``."""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    sms: str


def render(kind: str, context: Mapping[str, object], *, org_id: int | None = None) -> Rendered:
    title, body = str(context.get("title", "")), str(context.get("body", ""))
    return Rendered(title=title, body=body, sms=f"{title} {body}".strip())
