"""Models of the projects app, one module per part: calls and applications (orientation 4),
structuring projects, conventions, payments and reports (orientation 3 and every grant)."""

from projects.calls.models import *  # noqa: F403
from projects.conventions.models import *  # noqa: F403
