"""Models of evaluations."""
