from django.urls import path

from .views import space, staff

app_name = "directory"

urlpatterns = [
    path("espace/organisations/", space.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "espace/organisations/nouvelle/",
        space.OrganisationCreateView.as_view(),
        name="organisation_create",
    ),
    path(
        "espace/organisations/<int:pk>/",
        space.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "espace/organisations/<int:pk>/modifier/",
        space.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
    path(
        "espace/organisations/<int:pk>/membres/inviter/",
        space.MemberInviteView.as_view(),
        name="member_invite",
    ),
    path(
        "espace/organisations/<int:pk>/membres/<int:membership_pk>/retirer/",
        space.MemberRemoveView.as_view(),
        name="member_remove",
    ),
    path(
        "espace/organisations/<int:pk>/invitations/<int:invitation_pk>/annuler/",
        space.InvitationCancelView.as_view(),
        name="invitation_cancel",
    ),
    path("espace/invitations/", space.InvitationListView.as_view(), name="invitation_list"),
    path(
        "espace/invitations/<int:pk>/accepter/",
        space.InvitationAnswerView.as_view(accept=True),
        name="invitation_accept",
    ),
    path(
        "espace/invitations/<int:pk>/refuser/",
        space.InvitationAnswerView.as_view(accept=False),
        name="invitation_decline",
    ),
    path("gestion/communes/", staff.CommuneCodesView.as_view(), name="commune_codes"),
    path(
        "gestion/organisations/",
        staff.StaffOrganisationListView.as_view(),
        name="staff_organisation_list",
    ),
]
