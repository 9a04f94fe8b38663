"""Models of outcomes."""
