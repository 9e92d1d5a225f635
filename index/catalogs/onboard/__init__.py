"""Onboarding a real catalog export: fields read from free text, nothing invented (issue 16, in progress)."""
