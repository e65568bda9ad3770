from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects, calls and conventions")

    def ready(self):
        import_module("projects.calls.totals").register()
        import_module("projects.calls.exports").register()
        import_module("projects.conventions.totals").register()
        import_module("projects.calls.permissions")
        import_module("projects.conventions.permissions").register()
        import_module("projects.calls.retention").register_rules()
