"""Templates, channel preferences, allowed channels, work-app addresses (templates work)."""

__all__: list[str] = []
