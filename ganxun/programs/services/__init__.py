"""Every programs write: one transaction each, audited. Views, API, jobs and the CLI call these."""

from ganxun.programs.services.batches import (
    batch_solve_start,
    program_violations,
    trainee_set_batch,
    venues_assign,
)
from ganxun.programs.services.consultations import (
    ConsultationData,
    consultation_save,
    expectation_submit,
    step_mark,
)
from ganxun.programs.services.outlines import outline_decide, outline_submit
from ganxun.programs.services.programs import (
    ProgramData,
    UnitData,
    VenueData,
    program_create,
    program_update,
    trainee_remove,
    trainees_add,
    trainees_add_preview,
    unit_delete,
    unit_save,
    venue_save,
)
from ganxun.programs.services.sessions import (
    ConflictError,
    SeriesData,
    SessionData,
    session_cancel,
    session_copy,
    session_copy_data,
    session_delete,
    session_save,
    sessions_generate,
    sessions_generate_preview,
)

__all__ = [
    "ConflictError",
    "ConsultationData",
    "ProgramData",
    "SeriesData",
    "SessionData",
    "UnitData",
    "VenueData",
    "batch_solve_start",
    "consultation_save",
    "expectation_submit",
    "outline_decide",
    "outline_submit",
    "program_create",
    "program_update",
    "program_violations",
    "session_cancel",
    "session_copy",
    "session_copy_data",
    "session_delete",
    "session_save",
    "sessions_generate",
    "sessions_generate_preview",
    "step_mark",
    "trainee_remove",
    "trainee_set_batch",
    "trainees_add",
    "trainees_add_preview",
    "unit_delete",
    "unit_save",
    "venue_save",
    "venues_assign",
]
