"""URLs of this part of the projects app (mounted by projects/urls.py)."""

from django.urls import path

from .views import public, staff
from .views import space as applicant

urlpatterns: list = [
    # Public
    path("appels/", public.CallListView.as_view(), name="call_list"),
    path("appels/<slug:slug>/", public.CallDetailView.as_view(), name="call_detail"),
    # Applicant
    path("espace/dossiers/", applicant.ApplicationListView.as_view(), name="application_list"),
    path(
        "espace/dossiers/nouveau/<slug:slug>/",
        applicant.ApplicationStartView.as_view(),
        name="application_start",
    ),
    path(
        "espace/partenariats/",
        applicant.PartnershipListView.as_view(),
        name="partnership_list",
    ),
    path(
        "espace/partenariats/<int:pk>/accepter/",
        applicant.PartnershipAnswerView.as_view(accept=True),
        name="partnership_accept",
    ),
    path(
        "espace/partenariats/<int:pk>/refuser/",
        applicant.PartnershipAnswerView.as_view(accept=False),
        name="partnership_decline",
    ),
    path(
        "espace/dossiers/<int:pk>/",
        applicant.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "espace/dossiers/<int:pk>/modifier/",
        applicant.ApplicationEditView.as_view(),
        name="application_edit",
    ),
    path(
        "espace/dossiers/<int:pk>/pieces/",
        applicant.AttachmentUploadView.as_view(),
        name="attachment_upload",
    ),
    path(
        "espace/dossiers/<int:pk>/pieces/<int:attachment_pk>/",
        applicant.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "espace/dossiers/<int:pk>/pieces/<int:attachment_pk>/supprimer/",
        applicant.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path(
        "espace/dossiers/<int:pk>/recepisse.pdf",
        applicant.ReceiptView.as_view(),
        name="application_receipt",
    ),
    path(
        "espace/dossiers/<int:pk>/messages/",
        applicant.ApplicationMessageView.as_view(),
        name="application_message",
    ),
    path(
        "espace/dossiers/<int:pk>/retirer/",
        applicant.ApplicationWithdrawView.as_view(),
        name="application_withdraw",
    ),
    # Staff: calls
    path("gestion/appels/", staff.StaffCallListView.as_view(), name="staff_call_list"),
    path("gestion/appels/nouveau/", staff.StaffCallFormView.as_view(), name="staff_call_create"),
    path("gestion/appels/<int:pk>/", staff.StaffCallDetailView.as_view(), name="staff_call_detail"),
    path(
        "gestion/appels/<int:pk>/modifier/",
        staff.StaffCallFormView.as_view(),
        name="staff_call_update",
    ),
    path(
        "gestion/appels/<int:pk>/publier/",
        staff.StaffCallPublishView.as_view(),
        name="staff_call_publish",
    ),
    path(
        "gestion/appels/<int:pk>/cloturer/",
        staff.StaffCallCloseView.as_view(),
        name="staff_call_close",
    ),
    # Staff: applications
    path(
        "gestion/dossiers/",
        staff.StaffApplicationListView.as_view(),
        name="staff_application_list",
    ),
    path(
        "gestion/dossiers/<int:pk>/",
        staff.StaffApplicationDetailView.as_view(),
        name="staff_application_detail",
    ),
    path(
        "gestion/dossiers/<int:pk>/pdf/",
        staff.StaffApplicationPdfView.as_view(),
        name="staff_application_pdf",
    ),
    path(
        "gestion/dossiers/<int:pk>/demande/",
        staff.StaffRequestDocumentsView.as_view(),
        name="staff_request_documents",
    ),
    path(
        "gestion/dossiers/<int:pk>/recevabilite/",
        staff.StaffEligibilityView.as_view(),
        name="staff_eligibility",
    ),
    path(
        "gestion/dossiers/<int:pk>/diagnostic/",
        staff.StaffDiagnosisView.as_view(),
        name="staff_diagnosis",
    ),
    path(
        "gestion/dossiers/<int:pk>/avis-comite/",
        staff.StaffCommitteeOpinionView.as_view(),
        name="staff_committee_opinion",
    ),
    path(
        "gestion/dossiers/<int:pk>/convention/",
        staff.StaffPrepareConventionView.as_view(),
        name="staff_prepare_convention",
    ),
    path(
        "gestion/dossiers/<int:pk>/decision/",
        staff.StaffDecisionView.as_view(),
        name="staff_decision",
    ),
]
