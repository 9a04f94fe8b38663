from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "ganxun.enrollment"
    label = "enrollment"
    verbose_name = "选课报名"

    def ready(self):
        from ganxun.enrollment import (
            kinds,  # noqa: F401  (the notice kinds it sends)
            participation,
        )
        from ganxun.programs.participation import register

        # Programs' services record timetable changes and count seats through this.
        register(participation)
