"""Demo data for development and `make run`, and the factories the tests share.

Installed only when DEBUG or TESTING is on (``ess_metro/settings.py``): production never
loads it. ``python manage.py seed_demo`` is idempotent.
"""
