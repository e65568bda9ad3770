from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    # Public
    path("comite/composition/", views.composition, name="composition"),
    path(
        "comite/composition/historique/",
        views.CompositionHistoryView.as_view(),
        name="composition_history",
    ),
    # Members and staff
    path("comite/", views.CommitteeHomeView.as_view(), name="committee_home"),
    path("comite/seances/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path(
        "comite/seances/<int:pk>/reponse/", views.MeetingReplyView.as_view(), name="meeting_reply"
    ),
    path(
        "comite/seances/<int:pk>/proces-verbal/",
        views.MinutesDownloadView.as_view(),
        name="minutes_download",
    ),
    path(
        "comite/points/<int:pk>/conflit/",
        views.ConflictDeclareView.as_view(),
        name="conflict_declare",
    ),
    path(
        "comite/documents/<int:pk>/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "comite/programmes/<int:pk>/",
        views.ProgrammeReviewView.as_view(),
        name="programme_review",
    ),
    path("comite/seances.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path("comite/calendrier/", views.CalendarSubscribeView.as_view(), name="calendar"),
    path(
        "comite/calendrier/<str:token>.ics",
        views.calendar_token_feed,
        name="calendar_token_feed",
    ),
    path("comite/cycle/", views.CycleView.as_view(), name="cycle"),
    path("comite/registre/", views.RegisterView.as_view(), name="register"),
    path("comite/registre.csv", views.RegisterCsvView.as_view(), name="register_csv"),
    path("comite/registre.pdf", views.RegisterPdfView.as_view(), name="register_pdf"),
    # Staff
    path("gestion/comite/", views.MeetingListView.as_view(), name="meeting_list"),
    path(
        "gestion/comite/seances/nouvelle/", views.MeetingFormView.as_view(), name="meeting_create"
    ),
    path(
        "gestion/comite/seances/<int:pk>/", views.MeetingManageView.as_view(), name="meeting_manage"
    ),
    path(
        "gestion/comite/seances/<int:pk>/modifier/",
        views.MeetingFormView.as_view(),
        name="meeting_update",
    ),
    path(
        "gestion/comite/seances/<int:pk>/points/nouveau/",
        views.AgendaItemFormView.as_view(),
        name="item_create",
    ),
    path(
        "gestion/comite/seances/<int:pk>/convoquer/",
        views.MeetingConveneView.as_view(),
        name="meeting_convene",
    ),
    path(
        "gestion/comite/seances/<int:pk>/annuler/",
        views.MeetingCancelView.as_view(),
        name="meeting_cancel",
    ),
    path(
        "gestion/comite/seances/<int:pk>/relancer/",
        views.MeetingRemindView.as_view(),
        name="meeting_remind",
    ),
    path(
        "gestion/comite/seances/<int:pk>/presences/",
        views.AttendanceView.as_view(),
        name="attendance",
    ),
    path(
        "gestion/comite/seances/<int:pk>/proces-verbal/",
        views.MinutesView.as_view(),
        name="minutes_edit",
    ),
    path(
        "gestion/comite/seances/<int:pk>/approuver/",
        views.MinutesApproveView.as_view(),
        name="minutes_approve",
    ),
    path(
        "gestion/comite/points/<int:item_pk>/modifier/",
        views.AgendaItemFormView.as_view(),
        name="item_update",
    ),
    path(
        "gestion/comite/points/<int:item_pk>/supprimer/",
        views.AgendaItemDeleteView.as_view(),
        name="item_delete",
    ),
    path(
        "gestion/comite/points/<int:item_pk>/documents/",
        views.DocumentUploadView.as_view(),
        name="document_upload",
    ),
    path(
        "gestion/comite/documents/<int:pk>/supprimer/",
        views.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path(
        "gestion/comite/points/<int:item_pk>/avis/",
        views.OpinionCreateView.as_view(),
        name="opinion_create",
    ),
    path("gestion/comite/membres/", views.MandateListView.as_view(), name="mandate_list"),
    path(
        "gestion/comite/membres/export.csv",
        views.MandateExportView.as_view(),
        name="mandate_export",
    ),
    path(
        "gestion/comite/seances/<int:pk>/emargement.pdf",
        views.AttendanceSheetView.as_view(),
        name="attendance_sheet",
    ),
    path(
        "gestion/comite/membres/nouveau/", views.MandateCreateView.as_view(), name="mandate_create"
    ),
    path(
        "gestion/comite/membres/<int:pk>/modifier/",
        views.MandateUpdateView.as_view(),
        name="mandate_update",
    ),
]
