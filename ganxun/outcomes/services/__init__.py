"""Every outcomes write: one transaction each, audited. Views, API and the demo call these."""

from ganxun.outcomes.services.followups import FollowUpData, followup_create, sample_create
from ganxun.outcomes.services.graduation import (
    GraduationResult,
    RuleData,
    certificate_revoke,
    graduates_confirm,
    rule_for,
    rule_save,
)
from ganxun.outcomes.services.reports import (
    OutcomeData,
    outcome_publish,
    outcome_review,
    outcome_revise,
    outcome_submit,
)

__all__ = [
    "FollowUpData",
    "GraduationResult",
    "OutcomeData",
    "RuleData",
    "certificate_revoke",
    "followup_create",
    "graduates_confirm",
    "outcome_publish",
    "outcome_review",
    "outcome_revise",
    "outcome_submit",
    "rule_for",
    "rule_save",
    "sample_create",
]
