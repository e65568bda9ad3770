"""Pages for everyone: agenda, events, the Mois de l'ESS, news, statistics and feeds."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView

from ess_metro.exports import csv_response
from ess_metro.pagecache import public_page
from ess_metro.pdf import pdf_response, render_pdf

from .. import feeds, rules, selectors
from ..models import Dataset, Event, NewsItem

public = method_decorator(login_not_required, name="dispatch")


# --- agenda and events -----------------------------------------------------------------------


@login_not_required
@public_page
def agenda(request):
    """Upcoming published events, filtered by commune, kind and Mois de l'ESS."""
    page = selectors.agenda(request.GET, page=request.GET.get("page"))
    htmx = getattr(request, "htmx", False)
    template = "communication/_event_list.html" if htmx else "communication/agenda.html"
    return render(request, template, selectors.as_context(page))


@login_not_required
def event_detail(request, slug):
    queryset = Event.objects.visible_to(request.user).select_related(
        "commune", "organiser", "programme_line"
    )
    event = get_object_or_404(queryset, slug=slug)
    context = {"event": event, "news": selectors.related_news(event)}
    return render(request, "communication/event_detail.html", context)


@login_not_required
def event_ics(request, slug):
    event = get_object_or_404(
        Event.objects.published().select_related("commune", "organiser"), slug=slug
    )
    content = feeds.calendar_bytes([event], name=event.title)
    return feeds.ics_response(content, f"{event.slug}.ics")


def _mois_programme(year: int) -> selectors.MoisProgramme:
    if not rules.is_programme_year(year):
        raise Http404
    return selectors.mois_programme(year)


@login_not_required
def mois_ess(request, year):
    context = selectors.as_context(_mois_programme(year))
    return render(request, "communication/mois_ess.html", context)


@login_not_required
def mois_ess_pdf(request, year):
    programme = _mois_programme(year)
    if not programme.events:
        raise Http404
    pdf = render_pdf("pdf/communication/mois_ess.html", selectors.as_context(programme))
    return pdf_response(pdf, f"mois-de-l-ess-{year}.pdf")


# --- feeds -----------------------------------------------------------------------------------


@login_not_required
@cache_control(public=True, max_age=900)
def agenda_ics(request):
    """The calendar; the agenda's filters (?commune=, ?kind=, ?mois=1) narrow it."""
    content = feeds.calendar_bytes(
        feeds.feed_events(request.GET), name=_("ESS events — Grenoble-Alpes Métropole")
    )
    return feeds.ics_response(content, "agenda-ess-metro.ics")


@login_not_required
def feeds_page(request):
    context = {"json_example": feeds.JSON_FEED_VERSION}
    return render(request, "communication/feeds.html", context)


# --- news ------------------------------------------------------------------------------------


@public
class NewsListView(ListView):
    template_name = "communication/news_list.html"
    context_object_name = "items"
    paginate_by = 20

    def get_queryset(self):
        return NewsItem.objects.published().select_related("event")


@public
class NewsDetailView(DetailView):
    template_name = "communication/news_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return NewsItem.objects.visible_to(self.request.user).select_related("event")


# --- statistics ------------------------------------------------------------------------------


def _statistics_page(request) -> selectors.StatisticsPage:
    page = selectors.statistics_page(
        wanted=request.GET.get("jeu", ""), measure=request.GET.get("mesure", "")
    )
    if page is None:
        raise Http404
    return page


@login_not_required
@public_page
def statistics(request):
    context = selectors.as_context(_statistics_page(request))
    return render(request, "communication/statistics.html", context)


@login_not_required
def statistics_pdf(request):
    page = _statistics_page(request)
    if page.selected is None:
        raise Http404
    context = {**selectors.as_context(page), "generated_on": timezone.localdate()}
    pdf = render_pdf("pdf/communication/statistics.html", context)
    return pdf_response(pdf, f"donnees-ess-metro-{page.selected.pk}.pdf")


@login_not_required
def dataset_csv(request, pk):
    dataset = get_object_or_404(Dataset.objects.visible_to(request.user), pk=pk)
    return csv_response(
        dataset.csv_filename(), selectors.CSV_COLUMNS, selectors.dataset_csv_rows(dataset)
    )
