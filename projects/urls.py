from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("espace/", views.SpaceHomeView.as_view(), name="space_home"),
]
