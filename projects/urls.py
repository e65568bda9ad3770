from django.urls import path

from . import space_views as space
from . import subsidies_views
from .calls.urls import urlpatterns as calls_urlpatterns
from .conventions.urls import urlpatterns as conventions_urlpatterns

app_name = "projects"

urlpatterns = [
    path("espace/", space.SpaceHomeView.as_view(), name="space_home"),
    path("donnees/subventions.csv", subsidies_views.subsidies_csv, name="subsidies_csv"),
    path("donnees/subventions.json", subsidies_views.subsidies_json, name="subsidies_json"),
    path("donnees/subventions-<int:year>.csv", subsidies_views.subsidies_csv, name="subsidies_csv"),
    path(
        "donnees/subventions-<int:year>.json",
        subsidies_views.subsidies_json,
        name="subsidies_json",
    ),
    *calls_urlpatterns,
    *conventions_urlpatterns,
]
