"""The dashboard's chart data (read by static/js/stats.js from a json_script element). Built from
the same report rows as the tables; only numbers and labels, no markup."""

from ganxun.stats.report import Report


def _num(value):
    return None if value is None else float(value)


def chart_data(report: Report, unit_urls: dict[int, str]) -> dict:
    return {
        "channels": {
            "labels": [r.label for r in report.by_channel],
            "person_times": [r.person_times for r in report.by_channel],
            "attendances": [r.attendances for r in report.by_channel],
        },
        "units": {
            "labels": [r.label for r in report.by_unit],
            "person_times": [r.person_times for r in report.by_unit],
            "coverage": [_num(r.coverage) for r in report.by_unit],
            "urls": [unit_urls.get(r.org_id) if r.drill else None for r in report.by_unit],
        },
        "ranks": {
            "labels": [r.label for r in report.by_rank],
            "person_times": [r.person_times for r in report.by_rank],
        },
        "themes": {
            "labels": [r.label for r in report.by_theme],
            "sessions": [r.sessions for r in report.by_theme],
        },
        "forms": {
            "labels": [r.label for r in report.by_form],
            "sessions": [r.sessions for r in report.by_form],
            "interactive": [bool(r.interactive) for r in report.by_form],
        },
        "satisfaction": report.satisfaction.chart if report.satisfaction else None,
    }
