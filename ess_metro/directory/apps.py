from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "ess_metro.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from . import permissions  # noqa: F401 - registers the directory's predicates
