from django.urls import path

from ganxun.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.index, name="index"),
    path("hours/", views.my_hours, name="hours"),
    path("anomalies/", views.anomalies, name="anomalies"),
    path("new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/enroll/", views.course_enroll, name="enroll"),
    path("courses/<int:pk>/lessons/new/", views.lesson_add, name="lesson_add"),
    path("courses/<int:pk>/lessons/upload/", views.lesson_upload, name="lesson_upload"),
    path("lessons/<int:pk>/", views.lesson_play, name="lesson"),
    path("lessons/<int:pk>/video", views.lesson_video, name="video"),
    path("lessons/<int:pk>/start/", views.play_start, name="start"),
    path("progress/", views.progress, name="progress"),
]
