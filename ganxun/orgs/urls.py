from django.urls import path

from ganxun.orgs import views, views_import

org_patterns = (
    [
        path("", views.org_tree, name="tree"),
        path("<int:pk>/", views.org_detail, name="detail"),
        path("<int:pk>/children/", views.org_children, name="children"),
        path("<int:parent_pk>/new/", views.org_create, name="create"),
        path("<int:pk>/edit/", views.org_edit, name="edit"),
        path("<int:pk>/move/", views.org_move, name="move"),
        path("<int:pk>/retire/", views.org_retire, name="retire"),
    ],
    "orgs",
)

cadre_patterns = (
    [
        path("", views.cadre_list, name="list"),
        path("export.xlsx", views.cadre_export, name="export"),
        path("new/", views.cadre_create, name="create"),
        path("import/", views_import.roster_import, name="import"),
        path("import/template.xlsx", views_import.import_template, name="import_template"),
        path("import/<uuid:pk>/", views_import.import_job, name="import_job"),
        path("import/<uuid:pk>/rows/", views_import.import_detail, name="import_detail"),
        path("import/<uuid:pk>/commit/", views_import.import_commit, name="import_commit"),
        path("import/<uuid:pk>/add-tag/", views_import.import_add_tag, name="import_add_tag"),
        path("categories/", views.category_list, name="categories"),
        path("ranks/", views.rank_table, name="ranks"),
        path("mine/", views.my_record, name="mine"),
        path("<int:pk>/", views.cadre_detail, name="detail"),
        path("<int:pk>/edit/", views.cadre_edit, name="edit"),
        path("<int:pk>/id-number/", views.cadre_reveal_id_number, name="reveal_id"),
        path("<int:pk>/delete/", views.cadre_delete, name="delete"),
    ],
    "cadres",
)
