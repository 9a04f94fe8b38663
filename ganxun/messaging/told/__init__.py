"""Who was told (通知记录): per program and per message, sent / delivered / failed / read, resend
to the failed, export; a person's own notice history. Pages for organizers of the message's
org subtree (``policies``), reads in ``selectors``, the one write in ``services``."""
