#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_metro.settings")
    if "SECRET_KEY" not in os.environ:
        # A checkout without configuration is a developer's: run commands in development mode.
        # Production sets SECRET_KEY (and the WSGI/ASGI entry points refuse to start without it).
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
