"""The scoping check in ``make lint``: a bypass needs a reason or a place on the allowlist."""

from collections import Counter

from tests import scoping_check


def test_the_tree_passes_the_check():
    assert scoping_check.problems(scoping_check.tree_counts(), scoping_check.read_allowlist()) == []


def test_a_new_bypass_without_a_reason_fails_and_one_with_a_reason_passes():
    path = scoping_check.PACKAGE / "budgets" / "views.py"
    bare = "rows = Income._base_manager.all()\nwith unscoped():\n    pass\n"
    explained = (
        "rows = Income._base_manager.all()  # scope: the parent was fetched by get_budget_for\n"
        "# scope: uniqueness across the tree\nwith unscoped():\n    pass\n"
    )
    assert scoping_check.unexplained(path, bare) == 2
    assert scoping_check.unexplained(path, explained) == 0
    name = "ganxun/budgets/views.py"
    assert scoping_check.problems(Counter({name: 2}), Counter())  # not on the allowlist: fails
    assert scoping_check.problems(Counter({name: 1}), Counter({name: 2}))  # fewer: lower it


def test_core_migrations_and_the_demo_are_cross_tree():
    for rel in ("core/jobs.py", "demo/loader.py", "needs/migrations/0001_initial.py"):
        assert scoping_check.unexplained(scoping_check.PACKAGE / rel, "X._base_manager.all()") == 0
