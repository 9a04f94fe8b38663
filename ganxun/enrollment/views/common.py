"""What the enrollment views share: the organizer's sub-tabs of a program."""

from django.utils.translation import gettext_lazy

from ganxun.core.http import tabbed_page

PROGRAM_TABS = [
    ("quotas", gettext_lazy("名额分配"), "enrollment:program_quotas"),
    ("nominations", gettext_lazy("报名审核"), "enrollment:program_nominations"),
    ("selection", gettext_lazy("自主选学"), "enrollment:program_selection"),
    ("leave", gettext_lazy("请假"), "enrollment:program_leave"),
    ("changes", gettext_lazy("变更通知"), "enrollment:program_changes"),
    ("eligibility", gettext_lazy("培训对象"), "enrollment:program_eligibility"),
]


# The organizer's sub-tabs of a program (core.http.tabbed_page).
program_page = tabbed_page(PROGRAM_TABS)
