"""The set-based queries behind every statistic. Each is one GROUP BY over the node's subtree
(``path LIKE 'node%'``), whatever the number of units; per-unit figures are grouped by the
cadre's unit and folded into the node's children in Python (a cadre belongs to one unit, so
distinct counts per unit add up exactly).

Definitions (the same on the dashboard, in the Excel export, the annual report and the CLI):
  参训人次  trainee–program pairs (``ProgramTrainee`` rows) of cadres of the node, in programs that
            start within the period — a cadre in three programs counts three times;
  参训人数  distinct cadres among those pairs;
  到课人次  attendance rows (``checkin.Attendance``) of cadres of the node, at sessions that start
            within the period;
  覆盖率    参训人数 among the node's active cadres ÷ its active cadres;
  培训班（期） programs organized by an org of the node's subtree that start within the period;
  课次      scheduled sessions of those organizers held within the period; 学时 per ``core.hours``.

The node is the unit of access (the view checked it lies in the actor's subtree), so the queries
read through the base manager below it, as programs' children are read below their program.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import Coalesce

from ganxun.checkin.models import Attendance
from ganxun.core.scoping import children_of
from ganxun.orgs.models import Cadre, CadreHistory, Org
from ganxun.programs.hours import grouped_hours
from ganxun.programs.models import Program, ProgramTrainee, Session
from ganxun.stats.period import Period

ACTIVE = Cadre.Status.ACTIVE
# the career-history record covering the program's first day (records never overlap)
AT_PROGRAM_START = (
    f"LEFT JOIN {CadreHistory._meta.db_table} h ON h.cadre_id = c.id "
    'AND h."start" <= p.start_date AND (h."end" IS NULL OR h."end" > p.start_date)'
)


def _pt(node: Org, period: Period):
    # scope: the subtree of a node get_node_for checked the reader may see (or a CLI's)
    return ProgramTrainee._base_manager.filter(
        cadre__unit__path__startswith=node.path,
        program__start_date__gte=period.start,
        program__start_date__lte=period.end,
    ).order_by()


def _attendance(node: Org, period: Period):
    first, after = period.moments()
    # scope: the subtree of a node get_node_for checked the reader may see (or a CLI's)
    return Attendance._base_manager.filter(
        cadre__unit__path__startswith=node.path,
        session__starts_at__gte=first,
        session__starts_at__lt=after,
    ).order_by()


def _node_sessions(node: Org, period: Period):
    first, after = period.moments()
    # scope: the subtree of a node get_node_for checked the reader may see (or a CLI's)
    return Session._base_manager.filter(
        program__org__path__startswith=node.path,
        status=Session.Status.SCHEDULED,
        starts_at__gte=first,
        starts_at__lt=after,
    ).order_by()


def session_theme():
    """A session's theme: its own (taken from the course, editable), else its unit's, else its
    course's."""
    return Coalesce(F("theme_id"), F("unit__theme_id"), F("course__theme_id"))


# --- people -----------------------------------------------------------------------------------


def cadres_by_unit_rank(node: Org) -> dict[tuple[int, str], int]:
    """Active cadres per (unit, rank): the denominators of coverage."""
    rows = (
        # scope: the subtree of a node get_node_for checked the reader may see (or a CLI's)
        Cadre._base_manager.filter(unit__path__startswith=node.path, status=ACTIVE)
        .order_by()
        .values_list("unit_id", "rank")
        .annotate(n=Count("id"))
    )
    return {(unit, rank): n for unit, rank, n in rows}


def trainees_by_group(node: Org, period: Period) -> dict[tuple, tuple[int, int, int]]:
    """One pass over the trainee lists: per (unit, rank, active?, channel) the 参训人次, the
    distinct cadres in that channel, and the distinct cadres counted at their first channel only.

    Summed over units and ranks, the second gives 参训人数 per channel; summed over channels,
    the third gives 参训人数 per unit and rank without counting a cadre of two channels twice
    (a cadre has one unit, rank and status, so these sums are exact). The window function runs
    on the per-cadre groups, after GROUP BY; SQLite (3.25+) and PostgreSQL both have it.

    Unit and rank are the cadre's on the program's first day, from the career history (a
    cadre transferred since still counts in the unit they were in); a cadre without a history
    record covering that day counts with the current unit and rank.
    """
    rank_then = "CASE WHEN h.id IS NULL THEN c.rank ELSE h.rank END"
    sql = f"""
        SELECT unit_id, rank, active, channel, SUM(n), COUNT(*), SUM(first_channel)
        FROM (
            SELECT o.id AS unit_id, {rank_then} AS rank, c.status = %s AS active,
                   p.channel AS channel, COUNT(*) AS n,
                   CASE WHEN ROW_NUMBER() OVER (PARTITION BY pt.cadre_id ORDER BY p.channel) = 1
                        THEN 1 ELSE 0 END AS first_channel
            FROM {ProgramTrainee._meta.db_table} pt
            JOIN {Program._meta.db_table} p ON p.id = pt.program_id
            JOIN {Cadre._meta.db_table} c ON c.id = pt.cadre_id
            {AT_PROGRAM_START}
            JOIN {Org._meta.db_table} o ON o.id = COALESCE(h.unit_id, c.unit_id)
            WHERE o.path LIKE %s AND p.start_date >= %s AND p.start_date <= %s
            GROUP BY pt.cadre_id, o.id, {rank_then}, c.status, p.channel
        ) per_cadre
        GROUP BY unit_id, rank, active, channel
    """
    # Paths are base-36 digits and "/", so the prefix needs no LIKE escaping.
    params = [ACTIVE, node.path + "%", period.start, period.end]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (unit, rank, bool(active), channel): (int(n), int(people), int(first))
            for unit, rank, active, channel, n, people, first in cursor.fetchall()
        }


def trainees_by_category(node: Org, period: Period) -> dict[int, tuple[int, int]]:
    """Per 人员类别; a cadre of two categories counts in both (the rows do not add up).

    Written so the join starts from the period's programs (CROSS JOIN fixes SQLite's order;
    PostgreSQL plans it as an inner join): left to itself SQLite walked every cadre's category
    links first, 200 ms on the demo city for a few hundred trainees."""
    links = Cadre.categories.through._meta.db_table
    sql = f"""
        SELECT cc.cadrecategory_id, COUNT(pt.id), COUNT(DISTINCT pt.cadre_id)
        FROM {Program._meta.db_table} p
        CROSS JOIN {ProgramTrainee._meta.db_table} pt
        CROSS JOIN {Cadre._meta.db_table} c
        CROSS JOIN {Org._meta.db_table} o
        CROSS JOIN {links} cc
        WHERE p.start_date >= %s AND p.start_date <= %s AND pt.program_id = p.id
          AND c.id = pt.cadre_id AND o.id = c.unit_id AND o.path LIKE %s
          AND cc.cadre_id = c.id
        GROUP BY cc.cadrecategory_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [period.start, period.end, node.path + "%"])
        return {category: (int(n), int(people)) for category, n, people in cursor.fetchall()}


def trainees_by_personnel_category(node: Org, period: Period) -> dict:
    """Per 人员类别 (公务员, 参公, 事业 …; None when not recorded): 参训人次, 参训人数 and the
    active ones among them. The category is the cadre's on the program's first day (career
    history), like unit and rank; a cadre whose category changed within the period counts
    under each category held."""
    category = (
        "CASE WHEN h.id IS NULL THEN c.personnel_category_id ELSE h.personnel_category_id END"
    )
    sql = f"""
        SELECT {category}, COUNT(*), COUNT(DISTINCT pt.cadre_id),
               COUNT(DISTINCT CASE WHEN c.status = %s THEN pt.cadre_id END)
        FROM {ProgramTrainee._meta.db_table} pt
        JOIN {Program._meta.db_table} p ON p.id = pt.program_id
        JOIN {Cadre._meta.db_table} c ON c.id = pt.cadre_id
        {AT_PROGRAM_START}
        JOIN {Org._meta.db_table} o ON o.id = COALESCE(h.unit_id, c.unit_id)
        WHERE o.path LIKE %s AND p.start_date >= %s AND p.start_date <= %s
        GROUP BY {category}
    """
    params = [ACTIVE, node.path + "%", period.start, period.end]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: (int(n), int(people), int(active)) for pk, n, people, active in cursor}


def cadres_by_personnel_category(node: Org) -> dict:
    """Active cadres per 人员类别: the denominators of coverage."""
    rows = (
        # scope: the subtree of a node get_node_for checked the reader may see (or a CLI's)
        Cadre._base_manager.filter(unit__path__startswith=node.path, status=ACTIVE)
        .order_by()
        .values_list("personnel_category")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def attendances_by_group(node: Org, period: Period) -> dict[tuple, int]:
    """到课人次 per (unit, channel, theme), in one pass over the attendance rows."""
    rows = (
        _attendance(node, period)
        .annotate(
            channel=F("session__program__channel"),
            theme=Coalesce(
                F("session__theme_id"),
                F("session__unit__theme_id"),
                F("session__course__theme_id"),
            ),
        )
        .values_list("cadre__unit_id", "channel", "theme")
        .annotate(n=Count("id"))
    )
    return {(unit, channel, theme): n for unit, channel, theme, n in rows}


# --- teaching -----------------------------------------------------------------------------------


def node_programs(node: Org, period: Period) -> list[tuple[str, str, str]]:
    """(channel, brand, name) of the programs the node's orgs run, starting in the period."""
    return list(
        # scope: the subtree of a node get_node_for checked the reader may see (or a CLI's)
        Program._base_manager.filter(
            org__path__startswith=node.path,
            start_date__gte=period.start,
            start_date__lte=period.end,
        )
        .order_by()
        .values_list("channel", "brand", "name")
    )


def sessions_by_form_theme(node: Org, period: Period) -> list[dict]:
    """Sessions and their 学时 per (teaching form, theme, channel)."""
    rows = grouped_hours(
        _node_sessions(node, period).annotate(
            theme_key=session_theme(), channel=F("program__channel")
        ),
        ("form", "theme_key", "channel"),
    )
    # ``theme`` is also a field of the session (its own), so the annotation has another name.
    return [{**row, "theme": row.pop("theme_key")} for row in rows]


# --- the tree -------------------------------------------------------------------------------


def children_map(node: Org) -> tuple[list[Org], dict[int, int], set[int]]:
    """The node's children, which child each org of the subtree falls under (the node itself
    maps to itself: cadres kept at the node are its own, "本级"), and the children that have
    children of their own (drill-down links)."""
    # tuples, not model instances: a province has tens of thousands of orgs; only the
    # children are instances
    orgs = list(
        # scope: the subtree of a node the view has already checked the reader may see
        Org._base_manager.filter(path__startswith=node.path)
        .order_by()
        .values_list("id", "path", "parent_id")
    )
    children = sorted(
        children_of(node, Org, "parent").only(
            "id", "name", "path", "parent_id", "level", "sort", "depth"
        ),
        key=lambda o: (o.sort, o.path),
    )
    by_segment = {o.path: o.pk for o in children}
    under: dict[int, int] = {}
    width = len(node.path)
    for pk, path, _parent in orgs:
        if pk == node.pk:
            under[pk] = node.pk
            continue
        segment = path[width:].split("/", 1)[0]
        under[pk] = by_segment.get(node.path + segment + "/", node.pk)
    parents = {parent for _pk, _path, parent in orgs}
    return children, under, {c.pk for c in children if c.pk in parents}


def fold(values: dict, key_of) -> dict:
    """Sum tuples (or ints) of a dict by a new key."""
    out: dict = defaultdict(lambda: None)
    for key, value in values.items():
        new = key_of(key)
        if new is None:
            continue
        old = out[new]
        if old is None:
            out[new] = value
        elif isinstance(value, tuple):
            out[new] = tuple(a + b for a, b in zip(old, value, strict=True))
        else:
            out[new] = old + value
    return dict(out)
