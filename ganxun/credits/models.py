"""Models of credits."""
