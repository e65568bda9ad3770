from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("compte/mes-donnees/", views.my_data, name="my_data"),
    path("compte/mes-donnees/preparer/", views.my_data_request, name="my_data_request"),
    path(
        "compte/mes-donnees/<int:pk>/telecharger/",
        views.my_data_download,
        name="my_data_download",
    ),
    path("compte/fermer/", views.CloseAccountView.as_view(), name="close_account"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path(
        "gestion/donnees-personnelles/",
        views.StaffRegisterView.as_view(),
        name="staff_register",
    ),
    path("accessibilite/", views.accessibility_statement, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
]
