from django.urls import path

from ganxun.programs.views import (
    batches,
    calendars,
    outlines,
    personal,
    programs,
    sessions,
    told,
)

app_name = "programs"
urlpatterns = [
    path("", programs.program_list, name="list"),
    path("new/", programs.program_create, name="create"),
    path("<int:pk>/", programs.program_detail, name="detail"),
    path("<int:pk>/edit/", programs.program_edit, name="edit"),
    path("<int:pk>/units/new/", programs.unit_create, name="unit_create"),
    path("<int:pk>/sessions/", sessions.session_list, name="sessions"),
    path("<int:pk>/sessions/new/", sessions.session_create, name="session_create"),
    path("<int:pk>/sessions/series/", sessions.session_series, name="session_series"),
    path("<int:pk>/timetable/", sessions.timetable, name="timetable"),
    path("<int:pk>/calendar/", calendars.program_calendar, name="calendar"),
    path("<int:pk>/trainees/", programs.trainee_list, name="trainees"),
    path("<int:pk>/batches/", batches.batches, name="batches"),
    path("<int:pk>/told/", told.program_told, name="told"),
    path("<int:pk>/batches/solve/", batches.batch_solve, name="batch_solve"),
    path("<int:pk>/batches/apply/", batches.batch_apply, name="batch_apply"),
    path("<int:pk>/venues/assign/", batches.venues_assign, name="venues_assign"),
    path("<int:pk>/outlines/", outlines.program_outlines, name="outlines"),
    # units
    path("units/<int:pk>/edit/", programs.unit_edit, name="unit_edit"),
    path("units/<int:pk>/delete/", programs.unit_delete, name="unit_delete"),
    path("units/<int:pk>/steps/", personal.step_mark, name="step_mark"),
    # sessions
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/copy/", sessions.session_copy, name="session_copy"),
    path("sessions/<int:pk>/delete/", sessions.session_delete, name="session_delete"),
    path("sessions/<int:pk>/outline/", outlines.outline_submit, name="outline_submit"),
    path("sessions/<int:pk>/consultation/", personal.consultation_edit, name="consultation"),
    path("sessions/<int:pk>/expectation/", personal.expectation, name="expectation"),
    # outlines
    path("outlines/<int:pk>/file/", outlines.outline_file, name="outline_file"),
    path("outlines/<int:pk>/decide/", outlines.outline_decide, name="outline_decide"),
    path("review/", outlines.review_queue, name="review"),
    path("pending-outlines/", outlines.pending_outlines, name="pending_outlines"),
    # trainees, batches
    path("trainees/<int:pk>/batch/", batches.trainee_batch, name="trainee_batch"),
    path("trainees/<int:pk>/remove/", programs.trainee_remove, name="trainee_remove"),
    path("jobs/<uuid:pk>/", batches.batch_job, name="batch_job"),
    # classrooms and calendars
    path("venues/", programs.venue_list, name="venues"),
    path("venues/new/", programs.venue_create, name="venue_create"),
    path("venues/<int:pk>/edit/", programs.venue_edit, name="venue_edit"),
    path("venues/<int:pk>/calendar/", calendars.venue_calendar, name="venue_calendar"),
    path("lecturers/<int:pk>/calendar/", calendars.lecturer_calendar, name="lecturer_calendar"),
    # one person's pages
    path("teaching/", personal.teaching, name="teaching"),
    path("my/", personal.my_schedule, name="my"),
    path("my/calendar/", calendars.my_calendar, name="my_calendar"),
    path("my/<int:pk>/", personal.my_progress, name="my_progress"),
]
