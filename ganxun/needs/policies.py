"""Who may do what with needs surveys. Pages, API and jobs all ask these functions."""

from ganxun.accounts.models import Role, User
from ganxun.needs.models import MANAGERS, TRACKERS


def can_manage_needs(user: User) -> bool:
    """Build, distribute, analyse and cluster needs surveys."""
    return user.has_role(*MANAGERS)


def can_track_needs(user: User) -> bool:
    """See response rates and who has not answered, within one's own subtree."""
    return user.has_role(*TRACKERS)


def tracks_only(user: User) -> bool:
    """Unit contacts follow response rates without managing surveys (their own nav entry)."""
    return can_track_needs(user) and not can_manage_needs(user)


def can_edit_topics(user: User) -> bool:
    """The taxonomy is shared by the whole deployment: administrators at the root keep it."""
    return user.has_role(Role.ADMIN) and user.org is not None and user.org.parent_id is None


def can_view_topics(user: User) -> bool:
    return user.has_role(*MANAGERS)


def manages_survey(user: User, survey) -> bool:
    org = survey.questionnaire.org
    return can_manage_needs(user) and user.org is not None and org.path.startswith(user.org.path)


def can_answer_as_trainee(user: User) -> bool:
    return user.has_role(Role.TRAINEE) and bool(user.cadre_id)
