from django.urls import path

from ganxun.surveys import views

app_name = "surveys"
urlpatterns = [
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("sections/<int:pk>/questions/new/", views.question_create, name="question_create"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("<int:pk>/", views.builder, name="builder"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/sections/new/", views.section_create, name="section_create"),
]
