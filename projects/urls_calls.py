"""URLs of this part of the projects app (mounted by projects/urls.py)."""

urlpatterns: list = []
