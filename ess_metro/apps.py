from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EssMetroConfig(AppConfig):
    name = "ess_metro"
    verbose_name = _("ESS Métro portal")

    def ready(self):
        from . import lookups, pagecache

        lookups.register()
        pagecache.install()
