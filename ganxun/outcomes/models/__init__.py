"""Models of outcomes: field follow-ups (一线调研), outcome reports (学用成果), graduation rules
and certificates (结业证书)."""

from ganxun.outcomes.models.followups import FollowUp, FollowUpSample, SampleMember
from ganxun.outcomes.models.graduation import Certificate, GraduationRule
from ganxun.outcomes.models.reports import Attachment, Outcome, OutcomeReview

__all__ = [
    "Attachment",
    "Certificate",
    "FollowUp",
    "FollowUpSample",
    "GraduationRule",
    "Outcome",
    "OutcomeReview",
    "SampleMember",
]
