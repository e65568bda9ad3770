from django.urls import path

from .views import public, space, staff

app_name = "governance"

urlpatterns = [
    # Public
    path("comite/composition/", public.composition, name="composition"),
    path(
        "comite/composition/historique/",
        public.CompositionHistoryView.as_view(),
        name="composition_history",
    ),
    # Members and staff
    path("comite/", space.CommitteeHomeView.as_view(), name="committee_home"),
    path("comite/seances/<int:pk>/", space.MeetingDetailView.as_view(), name="meeting_detail"),
    path(
        "comite/seances/<int:pk>/reponse/", space.MeetingReplyView.as_view(), name="meeting_reply"
    ),
    path(
        "comite/seances/<int:pk>/proces-verbal/",
        space.MinutesDownloadView.as_view(),
        name="minutes_download",
    ),
    path(
        "comite/points/<int:pk>/conflit/",
        space.ConflictDeclareView.as_view(),
        name="conflict_declare",
    ),
    path(
        "comite/documents/<int:pk>/",
        space.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "comite/programmes/<int:pk>/",
        space.ProgrammeReviewView.as_view(),
        name="programme_review",
    ),
    path("comite/seances.ics", space.CalendarFeedView.as_view(), name="calendar_feed"),
    path("comite/calendrier/", space.CalendarSubscribeView.as_view(), name="calendar"),
    path(
        "comite/calendrier/<str:token>.ics",
        space.calendar_token_feed,
        name="calendar_token_feed",
    ),
    path("comite/cycle/", space.CycleView.as_view(), name="cycle"),
    path("comite/registre/", space.RegisterView.as_view(), name="register"),
    path("comite/registre.csv", space.RegisterCsvView.as_view(), name="register_csv"),
    path("comite/registre.pdf", space.RegisterPdfView.as_view(), name="register_pdf"),
    # Staff
    path("gestion/comite/", staff.MeetingListView.as_view(), name="meeting_list"),
    path(
        "gestion/comite/seances/nouvelle/", staff.MeetingFormView.as_view(), name="meeting_create"
    ),
    path(
        "gestion/comite/seances/<int:pk>/", staff.MeetingManageView.as_view(), name="meeting_manage"
    ),
    path(
        "gestion/comite/seances/<int:pk>/modifier/",
        staff.MeetingFormView.as_view(),
        name="meeting_update",
    ),
    path(
        "gestion/comite/seances/<int:pk>/points/nouveau/",
        staff.AgendaItemFormView.as_view(),
        name="item_create",
    ),
    path(
        "gestion/comite/seances/<int:pk>/convoquer/",
        staff.MeetingConveneView.as_view(),
        name="meeting_convene",
    ),
    path(
        "gestion/comite/seances/<int:pk>/annuler/",
        staff.MeetingCancelView.as_view(),
        name="meeting_cancel",
    ),
    path(
        "gestion/comite/seances/<int:pk>/relancer/",
        staff.MeetingRemindView.as_view(),
        name="meeting_remind",
    ),
    path(
        "gestion/comite/seances/<int:pk>/presences/",
        staff.AttendanceView.as_view(),
        name="attendance",
    ),
    path(
        "gestion/comite/seances/<int:pk>/proces-verbal/",
        staff.MinutesView.as_view(),
        name="minutes_edit",
    ),
    path(
        "gestion/comite/seances/<int:pk>/approuver/",
        staff.MinutesApproveView.as_view(),
        name="minutes_approve",
    ),
    path(
        "gestion/comite/points/<int:item_pk>/modifier/",
        staff.AgendaItemFormView.as_view(),
        name="item_update",
    ),
    path(
        "gestion/comite/points/<int:item_pk>/supprimer/",
        staff.AgendaItemDeleteView.as_view(),
        name="item_delete",
    ),
    path(
        "gestion/comite/points/<int:item_pk>/documents/",
        staff.DocumentUploadView.as_view(),
        name="document_upload",
    ),
    path(
        "gestion/comite/documents/<int:pk>/supprimer/",
        staff.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path(
        "gestion/comite/points/<int:item_pk>/avis/",
        staff.OpinionCreateView.as_view(),
        name="opinion_create",
    ),
    path("gestion/comite/membres/", staff.MandateListView.as_view(), name="mandate_list"),
    path(
        "gestion/comite/membres/export.csv",
        staff.MandateExportView.as_view(),
        name="mandate_export",
    ),
    path(
        "gestion/comite/seances/<int:pk>/emargement.pdf",
        staff.AttendanceSheetView.as_view(),
        name="attendance_sheet",
    ),
    path(
        "gestion/comite/membres/nouveau/", staff.MandateCreateView.as_view(), name="mandate_create"
    ),
    path(
        "gestion/comite/membres/<int:pk>/modifier/",
        staff.MandateUpdateView.as_view(),
        name="mandate_update",
    ),
]
