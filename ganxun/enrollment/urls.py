from django.urls import path

from ganxun.enrollment.views import contact, coverage, organizer, trainee

app_name = "enrollment"
urlpatterns = [
    # organizer, per program
    path("programs/<int:pk>/quotas/", organizer.program_quotas, name="program_quotas"),
    path("programs/<int:pk>/quotas/bulk/", organizer.quotas_bulk, name="quotas_bulk"),
    path("programs/<int:pk>/quotas/remind/", organizer.quotas_remind, name="quotas_remind"),
    path(
        "programs/<int:pk>/nominations/", organizer.program_nominations, name="program_nominations"
    ),
    path("programs/<int:pk>/selection/", organizer.program_selection, name="program_selection"),
    path("programs/<int:pk>/leave/", organizer.program_leave, name="program_leave"),
    path("programs/<int:pk>/changes/", organizer.program_changes, name="program_changes"),
    path(
        "programs/<int:pk>/eligibility/", organizer.program_eligibility, name="program_eligibility"
    ),
    path("coverage/", coverage.coverage_page, name="coverage"),
    path("quotas/<int:pk>/edit/", organizer.quota_edit, name="quota_edit"),
    path("quotas/<int:pk>/delete/", organizer.quota_delete, name="quota_delete"),
    path("nominations/<int:pk>/return/", organizer.nomination_return, name="nomination_return"),
    path("sessions/<int:pk>/seats/", organizer.session_seats, name="session_seats"),
    path("sessions/<int:pk>/promote/", organizer.session_promote, name="session_promote"),
    # unit contact
    path("quotas/", contact.my_quotas, name="my_quotas"),
    path("quotas/<int:pk>/", contact.quota_detail, name="quota"),
    path("quotas/<int:pk>/nominate/", contact.nominate, name="nominate"),
    path("nominations/<int:pk>/withdraw/", contact.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/replace/", contact.nomination_replace, name="nomination_replace"),
    path("leave/", contact.leave_inbox, name="leave_inbox"),
    path("leave/<int:pk>/decide/", contact.leave_decide, name="leave_decide"),
    # trainee
    path("menu/", trainee.menu, name="menu"),
    path("sessions/<int:pk>/pick/", trainee.pick, name="pick"),
    path("seats/", trainee.my_seats, name="my_seats"),
    path("seats/<int:pk>/cancel/", trainee.seat_cancel, name="seat_cancel"),
    path("my-leave/", trainee.my_leave, name="my_leave"),
    path("sessions/<int:pk>/leave/", trainee.leave_new, name="leave_new"),
    path("leave/<int:pk>/withdraw/", trainee.leave_withdraw, name="leave_withdraw"),
]
