from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import feeds
from .views import public, space, staff

app_name = "communication"

urlpatterns = [
    # Public: agenda, Mois de l'ESS, news, data, feeds
    path("agenda/", public.agenda, name="agenda"),
    path("agenda.ics", public.agenda_ics, name="agenda_ics"),
    path("agenda/mois-de-l-ess/<int:year>/", public.mois_ess, name="mois_ess"),
    path("agenda/mois-de-l-ess/<int:year>/pdf/", public.mois_ess_pdf, name="mois_ess_pdf"),
    path("agenda/<slug:slug>/", public.event_detail, name="event_detail"),
    path("agenda/<slug:slug>/ics/", public.event_ics, name="event_ics"),
    path("actualites/", public.NewsListView.as_view(), name="news_list"),
    path("actualites/<slug:slug>/", public.NewsDetailView.as_view(), name="news_detail"),
    path("donnees/", public.statistics, name="statistics"),
    path("donnees/pdf/", public.statistics_pdf, name="statistics_pdf"),
    path("donnees/jeux/<int:pk>.csv", public.dataset_csv, name="dataset_csv"),
    path("flux/", public.feeds_page, name="feeds"),
    path("flux/evenements.rss", login_not_required(feeds.EventsFeed()), name="events_rss"),
    path("flux/evenements.atom", login_not_required(feeds.EventsAtomFeed()), name="events_atom"),
    path("flux/appels.rss", login_not_required(feeds.CallsFeed()), name="calls_rss"),
    path("flux/appels.atom", login_not_required(feeds.CallsAtomFeed()), name="calls_atom"),
    path("flux/actualites.rss", login_not_required(feeds.NewsFeed()), name="news_rss"),
    path("flux/actualites.atom", login_not_required(feeds.NewsAtomFeed()), name="news_atom"),
    path("flux/ess-metro.json", feeds.json_feed, name="json_feed"),
    # Member organisations propose events
    path("espace/evenements/", space.MemberEventListView.as_view(), name="member_events"),
    path("espace/evenements/proposer/", space.EventProposeView.as_view(), name="event_propose"),
    path(
        "espace/evenements/<int:pk>/modifier/",
        space.EventProposalUpdateView.as_view(),
        name="event_proposal_update",
    ),
    # Staff
    path("gestion/evenements/", staff.StaffEventListView.as_view(), name="staff_events"),
    path(
        "gestion/evenements/nouveau/",
        staff.StaffEventCreateView.as_view(),
        name="staff_event_create",
    ),
    path(
        "gestion/evenements/<int:pk>/",
        staff.StaffEventUpdateView.as_view(),
        name="staff_event_update",
    ),
    path(
        "gestion/evenements/<int:pk>/publier/",
        staff.StaffEventTransitionView.as_view(),
        {"transition": "publish"},
        name="staff_event_publish",
    ),
    path(
        "gestion/evenements/<int:pk>/retirer/",
        staff.StaffEventTransitionView.as_view(),
        {"transition": "unpublish"},
        name="staff_event_unpublish",
    ),
    path("gestion/actualites/", staff.StaffNewsListView.as_view(), name="staff_news"),
    path(
        "gestion/actualites/nouvelle/",
        staff.StaffNewsCreateView.as_view(),
        name="staff_news_create",
    ),
    path(
        "gestion/actualites/<int:pk>/",
        staff.StaffNewsUpdateView.as_view(),
        name="staff_news_update",
    ),
    path(
        "gestion/actualites/<int:pk>/supprimer/",
        staff.StaffNewsDeleteView.as_view(),
        name="staff_news_delete",
    ),
    path("gestion/groupes-de-travail/", staff.GroupListView.as_view(), name="group_list"),
    path(
        "gestion/groupes-de-travail/nouveau/",
        staff.GroupCreateView.as_view(),
        name="group_create",
    ),
    path(
        "groupes-de-travail/<int:pk>/",
        space.GroupDetailView.as_view(),
        name="group_detail",
    ),
    path(
        "gestion/groupes-de-travail/<int:pk>/modifier/",
        staff.GroupUpdateView.as_view(),
        name="group_update",
    ),
    path("gestion/strategie/", staff.StrategyListView.as_view(), name="strategy_list"),
    path(
        "gestion/strategie/nouvelle/",
        staff.StrategyCreateView.as_view(),
        name="strategy_create",
    ),
    path(
        "gestion/strategie/<int:year>/modifier/",
        staff.StrategyUpdateView.as_view(),
        name="strategy_update",
    ),
    path(
        "gestion/strategie/<int:year>/soumettre/",
        staff.StrategyTransitionView.as_view(),
        {"transition": "submit"},
        name="strategy_submit",
    ),
    path(
        "gestion/strategie/<int:year>/reprendre/",
        staff.StrategyTransitionView.as_view(),
        {"transition": "withdraw"},
        name="strategy_withdraw",
    ),
    path(
        "gestion/strategie/<int:year>/actions/<int:pk>/supprimer/",
        staff.StrategyActionDeleteView.as_view(),
        name="strategy_action_delete",
    ),
    path("strategie/<int:year>/", space.StrategyDetailView.as_view(), name="strategy_detail"),
    path("strategie/<int:year>/pdf/", space.StrategyPdfView.as_view(), name="strategy_pdf"),
    path(
        "strategie/<int:year>/document/",
        space.StrategyDocumentView.as_view(),
        name="strategy_document",
    ),
    path("gestion/donnees/", staff.DatasetListView.as_view(), name="dataset_list"),
    path("gestion/donnees/importer/", staff.DatasetImportView.as_view(), name="dataset_import"),
    path(
        "gestion/donnees/importer/<uuid:task_id>/",
        staff.DatasetImportStatusView.as_view(),
        name="dataset_import_status",
    ),
    path(
        "gestion/donnees/<int:pk>/",
        staff.DatasetPreviewView.as_view(),
        name="dataset_preview",
    ),
    path(
        "gestion/donnees/<int:pk>/modifier/",
        staff.DatasetUpdateView.as_view(),
        name="dataset_update",
    ),
    path(
        "gestion/donnees/<int:pk>/publier/",
        staff.DatasetPublishView.as_view(),
        {"transition": "publish"},
        name="dataset_publish",
    ),
    path(
        "gestion/donnees/<int:pk>/abandonner/",
        staff.DatasetDiscardView.as_view(),
        name="dataset_discard",
    ),
]
