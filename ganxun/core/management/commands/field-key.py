"""`ganxun field-key` prints a new random key for GANXUN_FIELD_KEY (personal data at rest).

Keep it with the same care as the database backups' own keys: without it, encrypted ID numbers
and phone numbers cannot be read, and a changed key makes every stored one unreadable.
"""

from ganxun.core.commands import ScopedCommand
from ganxun.core.crypto import new_master_key


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = "生成一个新的个人信息加密密钥（GANXUN_FIELD_KEY）。"

    def handle(self, *args, **options):
        self.stdout.write(new_master_key())
