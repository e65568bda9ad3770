from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from programme import views as programme_views

from . import health, views

handler403 = "ess_metro.views.permission_denied"
handler404 = "ess_metro.views.page_not_found"
handler500 = "ess_metro.views.server_error"

urlpatterns = [
    path("", programme_views.home, name="home"),
    path("sante/", health.health, name="health"),
    path("compte/", include("ess_metro.accounts.urls")),
    path("gestion/", views.StaffHomeView.as_view(), name="staff_home"),
    path("gestion/securite/", include("ess_metro.accounts.security_urls")),
    path("mes-exports/", views.ExportJobListView.as_view(), name="export_jobs"),
    path("mes-exports/<int:pk>/", views.ExportJobDetailView.as_view(), name="export_job"),
    path(
        "mes-exports/<int:pk>/telecharger/",
        views.ExportJobDownloadView.as_view(),
        name="export_job_download",
    ),
    path("plan-du-site/", views.SiteMapView.as_view(), name="sitemap"),
    path("langue/", login_not_required(set_language), name="set_language"),
    # The admin logs in through the portal's login, which asks for the second factor.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    ),
    path("admin/", admin.site.urls),
    path("", include("ess_metro.directory.urls")),
    path("", include("ess_metro.privacy.urls")),
    path("", include("programme.urls")),
    path("", include("projects.urls")),
    path("", include("communication.urls")),
    path("", include("governance.urls")),
]

if settings.DEBUG:
    urlpatterns += [
        path("404/", views.page_not_found, {"exception": None}),
        path("500/", views.server_error),
    ]
