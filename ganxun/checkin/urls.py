from django.urls import path

from ganxun.checkin.views import desk, scan

app_name = "checkin"
urlpatterns = [
    path("", desk.index, name="index"),
    # the trainee's phone
    path("s/<str:code>/", scan.scan, name="scan"),
    path("sessions/<int:pk>/done/", scan.done, name="done"),
    path("sessions/<int:pk>/checkout/mine/", scan.check_out_self, name="check_out_self"),
    # the organizer
    path("sessions/<int:pk>/projector/", desk.projector, name="projector"),
    path("sessions/<int:pk>/projector/full/", desk.projector_full, name="projector_full"),
    path("sessions/<int:pk>/projector/count/", desk.projector_count, name="projector_count"),
    path("sessions/<int:pk>/qr/", desk.qr, name="qr"),
    path("sessions/<int:pk>/board/", desk.board, name="board"),
    path("sessions/<int:pk>/desk/", desk.desk, name="desk"),
    path("sessions/<int:pk>/checkout/", desk.check_out, name="check_out"),
    path("sessions/<int:pk>/sheet-entry/", desk.sheet_entry, name="sheet_entry"),
    path("sessions/<int:pk>/sheet/", desk.sign_sheet, name="sheet"),
    path("sessions/<int:pk>/absences/", desk.absences, name="absences"),
]
