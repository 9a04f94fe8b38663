from ganxun.programs.models.programs import (
    MANAGING_ROLES,
    STEP_KINDS,
    Channel,
    Program,
    ProgramTrainee,
    ProgramUnit,
    StepRecord,
    Venue,
    default_steps,
)
from ganxun.programs.models.reviews import Consultation, Expectation, Outline, OutlineDecision
from ganxun.programs.models.sessions import OutlineStatus, Session

__all__ = [
    "MANAGING_ROLES",
    "STEP_KINDS",
    "Channel",
    "Consultation",
    "Expectation",
    "Outline",
    "OutlineDecision",
    "OutlineStatus",
    "Program",
    "ProgramTrainee",
    "ProgramUnit",
    "Session",
    "StepRecord",
    "Venue",
    "default_steps",
]
