from ganxun.catalog.models.courses import (
    INTERACTIVE_FORMS,
    Course,
    TeachingForm,
    Theme,
    is_interactive,
)
from ganxun.catalog.models.faculty import Lecturer, split_tags
from ganxun.catalog.models.proposals import (
    CallTarget,
    MenuItem,
    Proposal,
    ProposalCall,
    Review,
    RoundEntry,
    SelectionRound,
)
from ganxun.catalog.models.resources import (
    SITE_KINDS,
    Material,
    SiteVisit,
    TeachingSite,
    TrainingBase,
)
from ganxun.catalog.models.sharing import SharedResource, lineage_ids, shared_scope_q

__all__ = [
    "INTERACTIVE_FORMS",
    "SITE_KINDS",
    "CallTarget",
    "Course",
    "Lecturer",
    "Material",
    "MenuItem",
    "Proposal",
    "ProposalCall",
    "Review",
    "RoundEntry",
    "SelectionRound",
    "SharedResource",
    "SiteVisit",
    "TeachingForm",
    "TeachingSite",
    "Theme",
    "TrainingBase",
    "is_interactive",
    "lineage_ids",
    "shared_scope_q",
    "split_tags",
]
