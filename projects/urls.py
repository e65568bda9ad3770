from django.urls import path

from . import space_views as space
from .calls.urls import urlpatterns as calls_urlpatterns
from .conventions.urls import urlpatterns as conventions_urlpatterns

app_name = "projects"

urlpatterns = [
    path("espace/", space.SpaceHomeView.as_view(), name="space_home"),
    *calls_urlpatterns,
    *conventions_urlpatterns,
]
