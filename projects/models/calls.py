"""Calls for projects and applications (orientation 4)."""

__all__: list[str] = []
