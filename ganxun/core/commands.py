"""The base of every ``ganxun`` command: it says who the command acts as.

``--as <username>`` runs the command as that account: scoped queries narrow to its view, as on
its pages. Without it, a command marked ``cross_tree`` (maintenance, the demo, reports over the
whole tree) acts as the visible ``SYSTEM`` actor; any other command has no actor, so its scoped
queries refuse to run (``ScopeError``) unless the code opens ``unscoped()`` itself.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ganxun.core.scoping import SYSTEM, acting_as


def _named_actor(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("没有名为 %(name)s 的有效账号（--as）。") % {"name": username})
    return user


class ScopedCommand(BaseCommand):
    cross_tree = False  # True: acts as SYSTEM when no --as is given

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--as", dest="as_user", metavar="USERNAME", help=_("以该账号的身份和可见范围运行")
        )
        return parser

    def execute(self, *args, **options):
        actor = self._actor(options.get("as_user"))
        if actor is None:
            return super().execute(*args, **options)
        with acting_as(actor):
            return super().execute(*args, **options)

    def _actor(self, username: str | None):
        if username:
            return _named_actor(username)
        return SYSTEM if self.cross_tree else None
