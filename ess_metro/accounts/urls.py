from django.contrib.auth import views as auth_views
from django.urls import path

from .views import public, space

app_name = "accounts"

urlpatterns = [
    path("connexion/", public.LoginView.as_view(), name="login"),
    path("connexion/code/", public.SecondFactorLoginView.as_view(), name="login_verify"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("inscription/", public.SignUpView.as_view(), name="signup"),
    path(
        "inscription/renvoyer/",
        public.ResendConfirmationView.as_view(),
        name="resend_confirmation",
    ),
    path("confirmer/<uidb64>/<token>/", public.confirm_email, name="confirm"),
    path("", space.ProfileView.as_view(), name="profile"),
    path("modifier/", space.ProfileEditView.as_view(), name="profile_edit"),
    path("double-authentification/", space.SecondFactorView.as_view(), name="two_factor"),
    path(
        "double-authentification/activer/",
        space.SecondFactorSetupView.as_view(),
        name="two_factor_setup",
    ),
    path(
        "double-authentification/codes/",
        space.RecoveryCodesView.as_view(),
        name="two_factor_codes",
    ),
    path(
        "double-authentification/desactiver/",
        space.SecondFactorRemoveView.as_view(),
        name="two_factor_remove",
    ),
    path("mot-de-passe/", space.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/oubli/", public.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        public.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/reinitialiser/<uidb64>/<token>/",
        public.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/reinitialise/",
        public.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
