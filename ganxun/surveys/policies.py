"""Who may build questionnaires. Pages, API and jobs ask these functions."""

from ganxun.accounts.models import Role, User

BUILDERS = (Role.ADMIN, Role.ORGANIZER)


def can_build_questionnaires(user: User) -> bool:
    return user.has_role(*BUILDERS)


def manages_questionnaire(user: User, questionnaire) -> bool:
    """Builders edit questionnaires owned within their own subtree."""
    org = questionnaire.org
    return (
        can_build_questionnaires(user)
        and user.org is not None
        and org.path.startswith(user.org.path)
    )
