"""URLs of this part of the projects app (mounted by projects/urls.py)."""

from django.urls import path

from .views import conventions as views

urlpatterns = [
    # Public
    path(
        "projets-structurants/",
        views.PublicStructuringProjectsView.as_view(),
        name="public_structuring_projects",
    ),
    # Staff: structuring projects
    path(
        "gestion/projets/",
        views.StructuringProjectListView.as_view(),
        name="structuring_project_list",
    ),
    path(
        "gestion/projets/nouveau/",
        views.StructuringProjectCreateView.as_view(),
        name="structuring_project_create",
    ),
    path(
        "gestion/projets/<int:pk>/",
        views.StructuringProjectDetailView.as_view(),
        name="structuring_project_detail",
    ),
    path(
        "gestion/projets/<int:pk>/modifier/",
        views.StructuringProjectUpdateView.as_view(),
        name="structuring_project_update",
    ),
    # Staff: conventions
    path(
        "gestion/conventions/",
        views.ConventionDashboardView.as_view(),
        name="convention_dashboard",
    ),
    path(
        "gestion/conventions/nouvelle/",
        views.ConventionCreateView.as_view(),
        name="convention_create",
    ),
    path(
        "gestion/conventions/<int:pk>/",
        views.ConventionDetailView.as_view(),
        name="convention_detail",
    ),
    path(
        "gestion/conventions/<int:pk>/modifier/",
        views.ConventionUpdateView.as_view(),
        name="convention_update",
    ),
    path(
        "gestion/conventions/<int:pk>/statut/",
        views.ConventionTransitionView.as_view(),
        name="convention_transition",
    ),
    path(
        "gestion/conventions/<int:pk>/echeancier/",
        views.ConventionScheduleView.as_view(),
        name="convention_schedule",
    ),
    path(
        "gestion/conventions/<int:pk>/rib/",
        views.StaffBankDetailsView.as_view(),
        name="convention_bank_details",
    ),
    path(
        "gestion/conventions/<int:pk>/pdf/",
        views.StaffConventionPdfView.as_view(),
        name="convention_pdf",
    ),
    path(
        "gestion/conventions/<int:pk>/paiements/nouveau/",
        views.PaymentCreateView.as_view(),
        name="payment_create",
    ),
    path(
        "gestion/conventions/rapports/<int:pk>/",
        views.ReportReviewView.as_view(),
        name="report_review",
    ),
    # Staff: payments
    path("gestion/paiements/", views.PaymentListView.as_view(), name="payment_list"),
    path(
        "gestion/paiements/<int:pk>/modifier/",
        views.PaymentUpdateView.as_view(),
        name="payment_update",
    ),
    path(
        "gestion/paiements/<int:pk>/supprimer/",
        views.PaymentDeleteView.as_view(),
        name="payment_delete",
    ),
    path(
        "gestion/paiements/<int:pk>/statut/",
        views.PaymentTransitionView.as_view(),
        name="payment_transition",
    ),
    # Beneficiary space
    path(
        "espace/conventions/",
        views.SpaceConventionListView.as_view(),
        name="space_convention_list",
    ),
    path(
        "espace/conventions/<int:pk>/",
        views.SpaceConventionDetailView.as_view(),
        name="space_convention_detail",
    ),
    path(
        "espace/conventions/<int:pk>/rib/",
        views.BankDetailsView.as_view(),
        name="space_convention_bank_details",
    ),
    path(
        "espace/conventions/<int:pk>/pdf/",
        views.ConventionPdfView.as_view(),
        name="space_convention_pdf",
    ),
    path(
        "espace/conventions/rapports/<int:pk>/",
        views.SpaceReportSubmitView.as_view(),
        name="space_report_submit",
    ),
    path(
        "espace/conventions/pieces/<int:pk>/",
        views.ReportAttachmentView.as_view(),
        name="report_attachment",
    ),
]
