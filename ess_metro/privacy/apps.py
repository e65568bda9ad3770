from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "ess_metro.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from . import permissions, retention  # noqa: F401 - registers the permission

        retention.register_own_rules()
