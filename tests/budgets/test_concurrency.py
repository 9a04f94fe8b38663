"""Two entries of one voucher number saved at the same moment: exactly one is kept (PostgreSQL:
the unique constraint decides, not a check that both could pass)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from ganxun.budgets import services
from ganxun.budgets.errors import BudgetError
from ganxun.budgets.models import Expense
from ganxun.budgets.services import ExpenseData
from ganxun.core.scoping import unscoped
from tests.budgets.factories import make_budget

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_entries_of_one_voucher_keep_one(city, admin):
    # given two budgets of the city in 2030 (so no budget row lock serialises the two saves)
    budgets = [make_budget(city.city, admin, title=t) for t in ("甲", "乙")]
    start, outcomes = threading.Barrier(2), []

    def save(budget):
        data = ExpenseData("venue", "500.00", date(2030, 3, 1), "礼堂", "2030-088")
        start.wait()
        try:
            services.expense_add(actor=admin, budget=budget, data=data)
            outcomes.append("stored")
        except BudgetError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    # when both are saved at once with the same voucher number
    threads = [threading.Thread(target=save, args=(b,)) for b in budgets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then one is stored and the other refused as a duplicate voucher
    assert sorted(outcomes) == ["duplicate_voucher", "stored"]
    with unscoped():
        assert Expense.objects.filter(voucher_no="2030-088").count() == 1
