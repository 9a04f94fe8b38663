from django.urls import path

from ganxun.credits import views, views_admin

app_name = "credits"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:pk>/", views.org_compliance, name="org"),
    path("org/<int:pk>/export.xlsx", views.org_export, name="org_export"),
    path("mine/", views.mine, name="mine"),
    path("cadre/<int:pk>/", views.cadre_record, name="cadre"),
    path("cadre/<int:pk>/new/", views.entry_new, name="entry_new"),
    path("entry/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("rules/", views_admin.rules, name="rules"),
    path("rules/new/", views_admin.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views_admin.rule_edit, name="rule_edit"),
    path("rules/restore/", views_admin.rules_restore, name="rules_restore"),
    path("rules/settings/", views_admin.settings_edit, name="settings"),
    path("rules/sync/", views_admin.sync_start, name="sync"),
    path("import/", views_admin.import_upload, name="import"),
    path("import/<uuid:pk>/", views_admin.import_job, name="import_job"),
    path("import/<uuid:pk>/rows/", views_admin.import_rows, name="import_rows"),
    path("import/<uuid:pk>/commit/", views_admin.import_commit, name="import_commit"),
    path("program/<int:pk>/bonus/", views_admin.program_bonus, name="program_bonus"),
]
