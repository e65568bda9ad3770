"""What the applicant's space (/espace/) shows, one function per part of the projects app.

Each returns a dict merged into the page's context; the matching template fragments are
``templates/projects/space/_applications.html`` and ``_conventions.html``.
"""


def applications_space_context(user) -> dict:
    """The user's applications to calls for projects and what is expected of them."""
    return {}


def conventions_space_context(user) -> dict:
    """The user's conventions, payments and reports due."""
    return {}
