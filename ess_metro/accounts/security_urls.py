"""The staff's security page, under /gestion/securite/."""

from django.urls import path

from .views import staff

app_name = "security"

urlpatterns = [
    path("", staff.SecurityView.as_view(), name="home"),
    path("debloquer/", staff.UnlockView.as_view(), name="unlock"),
    path("sessions/<int:pk>/fermer/", staff.EndSessionView.as_view(), name="end_session"),
    path(
        "comptes/<int:pk>/double-authentification/reinitialiser/",
        staff.ResetSecondFactorView.as_view(),
        name="reset_second_factor",
    ),
    path(
        "comptes/<int:pk>/sessions/fermer/",
        staff.EndAccountSessionsView.as_view(),
        name="end_account_sessions",
    ),
]
