"""The demo city behind ``ganxun demo``: a fictional 市 at the scale of the seed articles.

``build_plan`` makes it as plain data (deterministic per seed), ``demo_load`` writes it into an
empty database, ``demo_logins`` lists the demo accounts that exist.
"""

from ganxun.demo.accounts import DEMO_PASSWORD, DemoLogin, demo_logins
from ganxun.demo.loader import DemoSummary, demo_has_data, demo_load
from ganxun.demo.plan import DEFAULT_CADRES, DEFAULT_SEED, DemoPlan, build_plan

__all__ = [
    "DEFAULT_CADRES",
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "DemoLogin",
    "DemoPlan",
    "DemoSummary",
    "build_plan",
    "demo_has_data",
    "demo_load",
    "demo_logins",
]
