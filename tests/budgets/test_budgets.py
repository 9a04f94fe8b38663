"""Budget rules: money as Decimal, negative and zero amounts refused, a closed budget takes no
more entries, a voucher number once per org and year, a warning past the budget, and the
figures (execution rate, cost per 人次 and per 学时)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ganxun.accounts.models import Role
from ganxun.budgets import selectors, services
from ganxun.budgets.errors import BudgetError
from ganxun.budgets.models import Budget, Expense
from ganxun.budgets.services import BudgetData, ExpenseData, IncomeData
from ganxun.core.errors import PermissionDenied
from ganxun.core.models import AuditEntry
from tests.budgets.factories import make_budget
from tests.factories import CadreFactory, make_user
from tests.programs.factories import at, enroll, make_program, make_session

pytestmark = pytest.mark.django_db


def expense(voucher="A-001", amount="1000.00", **extra) -> ExpenseData:
    return ExpenseData(
        category=extra.pop("category", "lecturer"),
        amount=amount,
        date=date(2030, 3, 9),
        payee=extra.pop("payee", "市委党校"),
        voucher_no=voucher,
        **extra,
    )


def test_budget_figures_count_income_spending_and_cost_per_person_time_and_hour(city, admin):
    # given a program with 4 trainees and sessions of 3 h (4 学时 of 45 min) and 2.5 set 学时
    program = make_program(city.city, organizer=admin, start=date(2030, 3, 1))
    enroll(program, [CadreFactory(unit=city.town_a1) for _ in range(4)])
    make_session(program, at(date(2030, 3, 9), 9), at(date(2030, 3, 9), 12))
    make_session(program, at(date(2030, 3, 16), 9), credit_hours=Decimal("2.5"))
    budget = services.budget_create(
        actor=admin, data=BudgetData(title="经费", year=2030, amount="10000", program=program)
    )
    # when income from two sources and two expenses are entered
    services.income_add(
        actor=admin, budget=budget, data=IncomeData("fiscal", "6000.00", date(2030, 1, 5))
    )
    services.income_add(
        actor=admin, budget=budget, data=IncomeData("party_dues", "4000", date(2030, 1, 6))
    )
    services.expense_add(actor=admin, budget=budget, data=expense("A-001", "3000"))
    saved = services.expense_add(
        actor=admin, budget=budget, data=expense("A-002", "500.50", category="materials")
    )
    # then the figures are exact decimals, and nothing warns yet
    fig = selectors.budget_figures([budget])[0]
    assert saved.warning == ""
    assert fig.income == Decimal("10000.00") and fig.spent == Decimal("3500.50")
    assert fig.rate == Decimal("35.0")
    assert fig.person_times == 4 and fig.hours == Decimal("6.5")
    assert fig.per_person_time == Decimal("875.13")  # 3500.50 / 4
    assert fig.per_hour == Decimal("538.54")  # 3500.50 / 6.5
    assert dict(fig.category_rows())["教材资料"] == Decimal("500.50")
    # and every write is on the audit log
    assert AuditEntry.objects.filter(object_type="budgets.expense", action="create").count() == 2


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("-5", "negative_amount"),
        ("0", "zero_amount"),
        ("12.345", "too_precise"),
        ("abc", "invalid_amount"),
        ("NaN", "invalid_amount"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(city, admin, amount, code):
    # given an open budget
    budget = make_budget(city.city, admin)
    # when an expense with a bad amount is entered
    with pytest.raises(BudgetError) as exc:
        services.expense_add(actor=admin, budget=budget, data=expense(amount=amount))
    # then it is refused with the field named, and no row exists
    assert exc.value.code == code and exc.value.field == "amount"
    assert not Expense.objects.visible_to(admin).exists()


def test_a_negative_budget_amount_is_refused(city, admin):
    with pytest.raises(BudgetError) as exc:
        services.budget_create(actor=admin, data=BudgetData(title="经费", year=2030, amount="-1"))
    assert exc.value.code == "negative_amount"


def test_a_closed_budget_refuses_new_expenses_and_income_until_reopened(city, admin):
    # given a budget that was closed
    budget = make_budget(city.city, admin)
    services.budget_close(actor=admin, budget=budget)
    # when an expense or an income is entered
    with pytest.raises(BudgetError) as exc:
        services.expense_add(actor=admin, budget=budget, data=expense())
    assert exc.value.code == "budget_closed"
    with pytest.raises(BudgetError):
        services.income_add(
            actor=admin, budget=budget, data=IncomeData("fiscal", "1", date(2030, 1, 1))
        )
    # then nothing was written; after reopening the expense goes in
    assert not Expense.objects.visible_to(admin).exists()
    services.budget_reopen(actor=admin, budget=budget)
    services.expense_add(actor=admin, budget=budget, data=expense())
    assert Expense.objects.visible_to(admin).count() == 1


def test_a_voucher_number_is_used_once_per_org_and_year_across_budgets(city, admin):
    # given two budgets of the city in 2030 and one of 2031
    first = make_budget(city.city, admin, title="甲")
    second = make_budget(city.city, admin, title="乙")
    next_year = make_budget(city.city, admin, title="丙", year=2031)
    services.expense_add(actor=admin, budget=first, data=expense("2030-001"))
    # when the same voucher number is entered again in the same org and year
    with pytest.raises(BudgetError) as exc:
        services.expense_add(actor=admin, budget=second, data=expense(" 2030-001 "))
    # then it is refused on the voucher field; another year may reuse the number
    assert exc.value.code == "duplicate_voucher" and exc.value.field == "voucher_no"
    services.expense_add(actor=admin, budget=next_year, data=expense("2030-001"))
    assert Expense.objects.visible_to(admin).count() == 2


def test_spending_past_the_budget_is_saved_with_a_warning(city, admin):
    # given a budget of 1,000 with 800 spent
    budget = make_budget(city.city, admin, amount="1000.00")
    services.expense_add(actor=admin, budget=budget, data=expense("B-1", "800"))
    # when 300 more is spent
    saved = services.expense_add(actor=admin, budget=budget, data=expense("B-2", "300"))
    # then the expense is kept and the warning names the overspend
    assert "超支 100.00 元" in saved.warning
    assert selectors.budget_figures([budget])[0].over_budget


def test_one_budget_per_program(city, admin):
    program = make_program(city.city, organizer=admin)
    data = BudgetData(title="经费", year=2030, amount="1", program=program)
    services.budget_create(actor=admin, data=data)
    with pytest.raises(BudgetError) as exc:
        services.budget_create(actor=admin, data=BudgetData("再来", 2030, "1", program=program))
    assert exc.value.code == "duplicate_budget"


def test_a_county_admin_cannot_touch_the_city_budget(city, admin):
    budget = make_budget(city.city, admin)
    county_admin = make_user(city.county_a, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.expense_add(actor=county_admin, budget=budget, data=expense())
    assert not Budget.objects.visible_to(county_admin).exists()


def test_an_attachment_is_sniffed_by_content_not_by_name(city, admin, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    budget = make_budget(city.city, admin)
    fake = SimpleUploadedFile("发票.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(BudgetError) as exc:
        services.expense_add(actor=admin, budget=budget, data=expense(), upload=fake)
    assert exc.value.code == "unsupported_file"
    real = SimpleUploadedFile("发票.pdf", b"%PDF-1.4\n%fake but pdf-headed\n")
    saved = services.expense_add(actor=admin, budget=budget, data=expense(), upload=real)
    assert saved.expense.content_type == "application/pdf"


def test_the_pages_show_a_clear_message_for_a_duplicate_voucher_and_never_500(city, admin, client):
    # given a budget page with one expense
    budget = make_budget(city.city, admin)
    services.expense_add(actor=admin, budget=budget, data=expense("Z-9"))
    client.force_login(admin)
    post = {
        "category": "venue",
        "amount": "100",
        "date": "2030-03-01",
        "payee": "礼堂",
        "voucher_no": "Z-9",
    }
    # when the same voucher is posted, and a negative amount
    dup = client.post(f"/budgets/{budget.pk}/expense/", post)
    neg = client.post(
        f"/budgets/{budget.pk}/expense/", {**post, "voucher_no": "Z-10", "amount": "-3"}
    )
    # then both pages say what is wrong
    assert dup.status_code == 400 and "已登记过" in dup.content.decode()
    assert neg.status_code == 400 and "不能为负数" in neg.content.decode()
    # and the detail page and the Excel export open
    assert client.get(f"/budgets/{budget.pk}/").status_code == 200
    export = client.get(f"/budgets/{budget.pk}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    assert client.get("/budgets/").status_code == 200


def test_the_program_page_leads_to_its_budget(city, admin, client):
    program = make_program(city.city, organizer=admin, start=date(2030, 3, 1))
    client.force_login(admin)
    page = client.get(f"/programs/{program.pk}/")
    assert f"/budgets/program/{program.pk}/" in page.content.decode()
    first = client.get(f"/budgets/program/{program.pk}/")
    assert first.status_code == 302 and "new/?program=" in first["Location"]
    created = client.post(first["Location"], {"title": "经费", "year": "2030", "amount": "5000"})
    budget = Budget.objects.visible_to(admin).get(program=program)
    assert created.status_code == 302
    assert client.get(f"/budgets/program/{program.pk}/")["Location"] == f"/budgets/{budget.pk}/"
    assert program.start_date + timedelta(days=0) == date(2030, 3, 1)


def test_another_countys_admin_gets_not_found_on_every_budget_url(city, admin, client):
    # given a budget of 西山区 with an income and an expense
    from tests.budgets.factories import foreign_budgets
    from tests.test_scoping_http import fill, walk

    west_admin = make_user(city.county_b, Role.ADMIN, username="west_admin")
    ids = foreign_budgets(city, west_admin)
    # when an admin of 东江县 tries each budget URL with those ids
    client.force_login(make_user(city.county_a, Role.ADMIN))
    tried = 0
    for pattern in walk():
        if not pattern.startswith("budgets/") or "<" not in pattern:
            continue
        url = fill(pattern, ids)
        for method in (client.get, client.post):
            # then nothing of 西山区 is shown or changed
            assert method(url).status_code in (404, 405), (method.__name__, url)
        tried += 1
    assert tried >= 10
    assert Expense.objects.visible_to(west_admin).count() == 1
