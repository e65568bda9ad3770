"""The programme app's views, by audience: ``public`` (everyone) and ``staff`` (/gestion/).

``home`` is the portal's home page, plugged in by the root URLconf.
"""

from .public import home

__all__ = ["home"]
