"""The outbox: messages and their deliveries (owned by the outbox work)."""

__all__: list[str] = []
