from django.urls import path

from ganxun.catalog.views import courses, faculty, materials, proposals, resources, transfer

app_name = "catalog"
urlpatterns = [
    path("", courses.index, name="index"),
    # themes
    path("themes/", courses.theme_list, name="themes"),
    path("themes/<int:pk>/edit/", courses.theme_edit, name="theme_edit"),
    path("themes/<int:pk>/delete/", courses.theme_delete, name="theme_delete"),
    # courses
    path("courses/", courses.course_list, name="courses"),
    path("courses/new/", courses.course_create, name="course_create"),
    path("courses/export.xlsx", transfer.course_export, name="course_export"),
    path("courses/import/", transfer.course_import, name="course_import"),
    path("courses/import/template.xlsx", transfer.course_template, name="course_template"),
    path("courses/<int:pk>/", courses.course_detail, name="course"),
    path("courses/<int:pk>/edit/", courses.course_edit, name="course_edit"),
    path("courses/<int:pk>/status/", courses.course_status, name="course_status"),
    path("courses/<int:pk>/share/", courses.course_share, name="course_share"),
    # faculty
    path("lecturers/", faculty.lecturer_list, name="lecturers"),
    path("lecturers/new/", faculty.lecturer_create, name="lecturer_create"),
    path("lecturers/export.xlsx", transfer.lecturer_export, name="lecturer_export"),
    path("lecturers/import/", transfer.lecturer_import, name="lecturer_import"),
    path("lecturers/import/template.xlsx", transfer.lecturer_template, name="lecturer_template"),
    path("lecturers/<int:pk>/", faculty.lecturer_detail, name="lecturer"),
    path("lecturers/<int:pk>/edit/", faculty.lecturer_edit, name="lecturer_edit"),
    path("lecturers/<int:pk>/delete/", faculty.lecturer_delete, name="lecturer_delete"),
    path("lecturers/<int:pk>/share/", faculty.lecturer_share, name="lecturer_share"),
    # Excel imports (courses and faculty): progress, preview rows, commit
    path("imports/<uuid:pk>/", transfer.import_job, name="import_job"),
    path("imports/<uuid:pk>/rows/", transfer.import_rows, name="import_rows"),
    path("imports/<uuid:pk>/commit/", transfer.import_commit, name="import_commit"),
    # on-site teaching points
    path("sites/", resources.site_list, name="sites"),
    path("sites/new/", resources.site_create, name="site_create"),
    path("sites/<int:pk>/", resources.site_detail, name="site"),
    path("sites/<int:pk>/edit/", resources.site_edit, name="site_edit"),
    path("sites/<int:pk>/delete/", resources.site_delete, name="site_delete"),
    path("sites/<int:pk>/share/", resources.site_share, name="site_share"),
    path("sites/<int:pk>/visits/", resources.site_visit_add, name="site_visit_add"),
    path("visits/<int:pk>/delete/", resources.site_visit_delete, name="visit_delete"),
    # training bases
    path("bases/", resources.base_list, name="bases"),
    path("bases/new/", resources.base_create, name="base_create"),
    path("bases/<int:pk>/", resources.base_detail, name="base"),
    path("bases/<int:pk>/edit/", resources.base_edit, name="base_edit"),
    path("bases/<int:pk>/delete/", resources.base_delete, name="base_delete"),
    path("bases/<int:pk>/share/", resources.base_share, name="base_share"),
    # materials
    path("materials/", materials.material_list, name="materials"),
    path("materials/new/", materials.material_create, name="material_create"),
    path("materials/<int:pk>/", materials.material_detail, name="material"),
    path("materials/<int:pk>/edit/", materials.material_edit, name="material_edit"),
    path("materials/<int:pk>/file/", materials.material_file, name="material_file"),
    path("materials/<int:pk>/delete/", materials.material_delete, name="material_delete"),
    path("materials/<int:pk>/share/", materials.material_share, name="material_share"),
    # course proposals and selection
    path("calls/", proposals.call_list, name="calls"),
    path("calls/new/", proposals.call_create, name="call_create"),
    path("calls/<int:pk>/", proposals.call_detail, name="call"),
    path("calls/<int:pk>/edit/", proposals.call_edit, name="call_edit"),
    path("calls/<int:pk>/remind/", proposals.call_remind, name="call_remind"),
    path("calls/<int:pk>/propose/", proposals.proposal_create, name="proposal_create"),
    path("calls/<int:pk>/rounds/", proposals.round_open, name="round_open"),
    path("calls/<int:pk>/finalize/", proposals.menu_finalize, name="menu_finalize"),
    path("rounds/<int:pk>/", proposals.round_board, name="round"),
    path("rounds/<int:pk>/close/", proposals.round_close, name="round_close"),
    path("entries/<int:pk>/review/", proposals.entry_review, name="entry_review"),
    path("entries/<int:pk>/decide/", proposals.entry_decide, name="entry_decide"),
    path("proposals/", proposals.proposal_home, name="proposals"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/withdraw/", proposals.proposal_withdraw, name="proposal_withdraw"),
]
