"""Structuring projects, conventions, payments and reports (orientation 3)."""

__all__: list[str] = []
