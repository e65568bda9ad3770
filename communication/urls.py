from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import feeds, views

app_name = "communication"

urlpatterns = [
    # Public: agenda, Mois de l'ESS, news, data, feeds
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("agenda/mois-de-l-ess/<int:year>/", views.mois_ess, name="mois_ess"),
    path("agenda/mois-de-l-ess/<int:year>/pdf/", views.mois_ess_pdf, name="mois_ess_pdf"),
    path("agenda/<slug:slug>/", views.event_detail, name="event_detail"),
    path("agenda/<slug:slug>/ics/", views.event_ics, name="event_ics"),
    path("actualites/", views.NewsListView.as_view(), name="news_list"),
    path("actualites/<slug:slug>/", views.NewsDetailView.as_view(), name="news_detail"),
    path("donnees/", views.statistics, name="statistics"),
    path("donnees/pdf/", views.statistics_pdf, name="statistics_pdf"),
    path("donnees/jeux/<int:pk>.csv", views.dataset_csv, name="dataset_csv"),
    path("flux/", views.feeds_page, name="feeds"),
    path("flux/evenements.rss", login_not_required(feeds.EventsFeed()), name="events_rss"),
    path("flux/evenements.atom", login_not_required(feeds.EventsAtomFeed()), name="events_atom"),
    path("flux/appels.rss", login_not_required(feeds.CallsFeed()), name="calls_rss"),
    path("flux/appels.atom", login_not_required(feeds.CallsAtomFeed()), name="calls_atom"),
    path("flux/actualites.rss", login_not_required(feeds.NewsFeed()), name="news_rss"),
    path("flux/actualites.atom", login_not_required(feeds.NewsAtomFeed()), name="news_atom"),
    path("flux/ess-metro.json", feeds.json_feed, name="json_feed"),
    # Member organisations propose events
    path("espace/evenements/", views.MemberEventListView.as_view(), name="member_events"),
    path("espace/evenements/proposer/", views.EventProposeView.as_view(), name="event_propose"),
    path(
        "espace/evenements/<int:pk>/modifier/",
        views.EventProposalUpdateView.as_view(),
        name="event_proposal_update",
    ),
    # Staff
    path("gestion/evenements/", views.StaffEventListView.as_view(), name="staff_events"),
    path(
        "gestion/evenements/nouveau/",
        views.StaffEventCreateView.as_view(),
        name="staff_event_create",
    ),
    path(
        "gestion/evenements/<int:pk>/",
        views.StaffEventUpdateView.as_view(),
        name="staff_event_update",
    ),
    path(
        "gestion/evenements/<int:pk>/publier/",
        views.StaffEventTransitionView.as_view(action="publish"),
        name="staff_event_publish",
    ),
    path(
        "gestion/evenements/<int:pk>/retirer/",
        views.StaffEventTransitionView.as_view(action="unpublish"),
        name="staff_event_unpublish",
    ),
    path("gestion/actualites/", views.StaffNewsListView.as_view(), name="staff_news"),
    path(
        "gestion/actualites/nouvelle/",
        views.StaffNewsCreateView.as_view(),
        name="staff_news_create",
    ),
    path(
        "gestion/actualites/<int:pk>/",
        views.StaffNewsUpdateView.as_view(),
        name="staff_news_update",
    ),
    path(
        "gestion/actualites/<int:pk>/supprimer/",
        views.StaffNewsDeleteView.as_view(),
        name="staff_news_delete",
    ),
    path("gestion/groupes-de-travail/", views.GroupListView.as_view(), name="group_list"),
    path(
        "gestion/groupes-de-travail/nouveau/",
        views.GroupCreateView.as_view(),
        name="group_create",
    ),
    path(
        "groupes-de-travail/<int:pk>/",
        views.GroupDetailView.as_view(),
        name="group_detail",
    ),
    path(
        "gestion/groupes-de-travail/<int:pk>/modifier/",
        views.GroupUpdateView.as_view(),
        name="group_update",
    ),
    path("gestion/strategie/", views.StrategyListView.as_view(), name="strategy_list"),
    path(
        "gestion/strategie/nouvelle/",
        views.StrategyCreateView.as_view(),
        name="strategy_create",
    ),
    path(
        "gestion/strategie/<int:year>/modifier/",
        views.StrategyUpdateView.as_view(),
        name="strategy_update",
    ),
    path(
        "gestion/strategie/<int:year>/soumettre/",
        views.StrategyTransitionView.as_view(action="submit"),
        name="strategy_submit",
    ),
    path(
        "gestion/strategie/<int:year>/reprendre/",
        views.StrategyTransitionView.as_view(action="withdraw"),
        name="strategy_withdraw",
    ),
    path(
        "gestion/strategie/<int:year>/actions/<int:pk>/supprimer/",
        views.StrategyActionDeleteView.as_view(),
        name="strategy_action_delete",
    ),
    path("strategie/<int:year>/", views.StrategyDetailView.as_view(), name="strategy_detail"),
    path("strategie/<int:year>/pdf/", views.StrategyPdfView.as_view(), name="strategy_pdf"),
    path(
        "strategie/<int:year>/document/",
        views.StrategyDocumentView.as_view(),
        name="strategy_document",
    ),
    path("gestion/donnees/", views.DatasetListView.as_view(), name="dataset_list"),
    path("gestion/donnees/importer/", views.DatasetImportView.as_view(), name="dataset_import"),
    path(
        "gestion/donnees/<int:pk>/",
        views.DatasetPreviewView.as_view(),
        name="dataset_preview",
    ),
    path(
        "gestion/donnees/<int:pk>/modifier/",
        views.DatasetUpdateView.as_view(),
        name="dataset_update",
    ),
    path(
        "gestion/donnees/<int:pk>/publier/",
        views.DatasetActionView.as_view(action="publish"),
        name="dataset_publish",
    ),
    path(
        "gestion/donnees/<int:pk>/abandonner/",
        views.DatasetActionView.as_view(action="discard"),
        name="dataset_discard",
    ),
]
