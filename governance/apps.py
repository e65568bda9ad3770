from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Steering committee")

    def ready(self):
        from programme.review import register_committee_provider

        from . import permissions  # noqa: F401  (registers the "governance.*" permissions)
        from .selectors import committee_review_for_programme

        register_committee_provider(committee_review_for_programme)
