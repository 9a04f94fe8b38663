"""The demo city app (`ganxun demo`); the builder's entry points are in ``city``."""
