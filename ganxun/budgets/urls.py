from django.urls import path

from ganxun.budgets import views

app_name = "budgets"
urlpatterns = [
    path("", views.budget_list, name="list"),
    path("new/", views.budget_create, name="create"),
    path("export/", views.budgets_export, name="list_export"),
    path("program/<int:pk>/", views.program_budget, name="program"),
    path("<int:pk>/", views.budget_detail, name="detail"),
    path("<int:pk>/edit/", views.budget_edit, name="edit"),
    path("<int:pk>/close/", views.budget_close, name="close"),
    path("<int:pk>/reopen/", views.budget_reopen, name="reopen"),
    path("<int:pk>/income/", views.income_add, name="income_add"),
    path("<int:pk>/expense/", views.expense_add, name="expense_add"),
    path("<int:pk>/export/", views.budget_export, name="export"),
    path("incomes/<int:pk>/delete/", views.income_delete, name="income_delete"),
    path("expenses/<int:pk>/delete/", views.expense_delete, name="expense_delete"),
    path("expenses/<int:pk>/file/", views.expense_file, name="expense_file"),
]
