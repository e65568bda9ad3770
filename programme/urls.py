from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("plan/", views.plan_detail, name="plan"),
]
