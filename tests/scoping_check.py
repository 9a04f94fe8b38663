"""The scoping check (``make scoping-check``, part of ``make lint``).

``Model._base_manager`` and ``unscoped()`` step around fail-closed scoping. They are allowed:

- in ``ganxun/core/`` (the mechanism itself),
- in the cross-tree modules named in ``CROSS_TREE`` (migrations, the demo builder),
- anywhere else only with a ``# scope: <why>`` comment on the line or the line above.

Uses without a reason that predate the check are counted per file in
``ganxun/core/scoping_allowlist.txt``; that file may only shrink: a file with more uses than
listed fails, and so does one with fewer (lower its number, or drop its line, in the same commit).

    python -m tests.scoping_check            # check
    python -m tests.scoping_check --write    # rewrite the allowlist (review the diff!)
    python -m tests.scoping_check --by-app   # what is left, per app
"""

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ganxun"
ALLOWLIST = PACKAGE / "core" / "scoping_allowlist.txt"
BYPASS = re.compile(r"\b_base_manager\b|\bunscoped\(\)")
REASON = re.compile(r"#\s*scope:\s*\S")
CROSS_TREE = (
    "ganxun/core/",  # the mechanism: scoping, jobs, audit
    "ganxun/demo/",  # the demo builder writes a whole city
    "/migrations/",  # data migrations run before any actor exists
)


def unexplained(path: Path, text: str) -> int:
    """Uses in one file that carry no ``# scope:`` reason (0 for a cross-tree module)."""
    rel = path.relative_to(ROOT).as_posix()
    if any(part in rel for part in CROSS_TREE):
        return 0
    lines = text.splitlines()
    count = 0
    for i, line in enumerate(lines):
        code = line.split("#", 1)[0]
        if not BYPASS.search(code):
            continue
        above = lines[i - 1] if i else ""
        if REASON.search(line) or (above.lstrip().startswith("#") and REASON.search(above)):
            continue
        count += len(BYPASS.findall(code))
    return count


def tree_counts() -> Counter:
    counts: Counter = Counter()
    for path in sorted(PACKAGE.rglob("*.py")):
        n = unexplained(path, path.read_text(encoding="utf-8"))
        if n:
            counts[path.relative_to(ROOT).as_posix()] = n
    return counts


def read_allowlist(path: Path = ALLOWLIST) -> Counter:
    allowed: Counter = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, number = line.rsplit(maxsplit=1)
            allowed[name] = int(number)
    return allowed


def problems(counts: Counter, allowed: Counter) -> list[str]:
    found = []
    for name in sorted(set(counts) | set(allowed)):
        have, may = counts[name], allowed[name]
        if have > may:
            found.append(
                f"{name}: {have} _base_manager/unscoped() without '# scope: <why>' "
                f"(allowlist: {may}). Use the ambient actor or visible_to(actor), or say why."
            )
        elif have < may:
            found.append(f"{name}: {have} left, allowlist says {may}: lower it (it only shrinks).")
    return found


def by_app(counts: Counter) -> Counter:
    apps: Counter = Counter()
    for name, n in counts.items():
        apps[name.split("/")[1]] += n
    return apps


def write_allowlist(counts: Counter) -> None:
    header = (
        "# _base_manager / unscoped() uses without a '# scope: <why>' reason, per file.\n"
        "# Only shrinks: convert a use (ambient actor, visible_to, scope_parent) or give it a\n"
        "# reason, then lower the number here. Checked by `make scoping-check`.\n"
    )
    body = "".join(f"{name} {n}\n" for name, n in sorted(counts.items()))
    ALLOWLIST.write_text(header + body, encoding="utf-8")


def main(argv: list[str]) -> int:
    counts = tree_counts()
    if "--write" in argv:
        write_allowlist(counts)
        return 0
    if "--by-app" in argv:
        for app, n in sorted(by_app(counts).items()):
            print(f"{app} {n}")
        print(f"total {sum(counts.values())}")
        return 0
    found = problems(counts, read_allowlist())
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
