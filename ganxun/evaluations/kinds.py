"""The notice kinds evaluations sends through the outbox (``ganxun.messaging.outbox.send``).

The kinds registry (``ganxun.messaging.kinds.register(NoticeKind(...))``) is being written on
another branch; until it is merged a kind renders the ``title`` and ``body`` its sender puts in
the context (``messaging.templates.render``), so ``comments_remind_pending`` passes both, plus
``count``, ``session`` and ``program`` for the template the registration will give it."""

COMMENTS_PENDING = "evaluations.comments_pending"
