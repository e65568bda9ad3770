from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("espace/organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "espace/organisations/nouvelle/",
        views.OrganisationCreateView.as_view(),
        name="organisation_create",
    ),
    path(
        "espace/organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "espace/organisations/<int:pk>/modifier/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
    path(
        "espace/organisations/<int:pk>/membres/inviter/",
        views.MemberInviteView.as_view(),
        name="member_invite",
    ),
    path(
        "espace/organisations/<int:pk>/membres/<int:membership_pk>/retirer/",
        views.MemberRemoveView.as_view(),
        name="member_remove",
    ),
    path("gestion/communes/", views.CommuneCodesView.as_view(), name="commune_codes"),
    path(
        "gestion/organisations/",
        views.StaffOrganisationListView.as_view(),
        name="staff_organisation_list",
    ),
]
