from django.urls import path

from .urls_calls import urlpatterns as calls_urlpatterns
from .urls_conventions import urlpatterns as conventions_urlpatterns
from .views import space

app_name = "projects"

urlpatterns = [
    path("espace/", space.SpaceHomeView.as_view(), name="space_home"),
    *calls_urlpatterns,
    *conventions_urlpatterns,
]
