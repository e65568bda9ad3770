"""Pages for everyone: the plan, the annual programmes (by role) and the development tools."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ess_metro.downloads import protected_download
from ess_metro.exports import workbook_response
from ess_metro.pagecache import public_page
from ess_metro.params import parse_id
from ess_metro.pdf import pdf_response, render_pdf_cached

from .. import selectors
from ..documents import pdf_filename, stored_pdf
from ..exports import programme_workbook
from ..models import DevelopmentTool


@login_not_required
@public_page
def home(request):
    """What the plan is, its four orientations and what is open now."""
    return render(request, "programme/home.html", selectors.home_page().as_context())


@login_not_required
@public_page
def plan_detail(request):
    """The plan, each orientation and axis, and the steering committee's missions."""
    return render(request, "programme/plan.html", selectors.plan_page().as_context())


# --- The annual programme, public side ------------------------------------------------------


def _requested_version(request):
    return parse_id(request.GET.get("version"))


def _programme_for(request, year, *, evaluated=False):
    """The programme of ``year`` this user may see (404 otherwise), and its other versions.

    ``evaluated``: only a programme whose evaluation can be read (published or evaluated).
    """
    programme, versions = selectors.visible_programme(
        request.user, year, _requested_version(request)
    )
    if programme is None or (evaluated and not programme.has_evaluation):
        raise Http404
    return programme, versions


@login_not_required
@public_page
def programme_index(request):
    """Every annual programme the user may read, with its planned total."""
    return render(
        request,
        "programme/programme_index.html",
        {
            "years": selectors.programme_years(request.user),
            "tool_count": DevelopmentTool.objects.visible_to(request.user).count(),
        },
    )


@login_not_required
def programme_detail(request, year):
    programme, versions = _programme_for(request, year)
    context = selectors.programme_document(programme).as_context(versions=versions)
    return render(request, "programme/programme_detail.html", context)


def _document_pdf(request, programme, template: str, kind: str):
    context = selectors.programme_document(programme).as_context(generated_on=timezone.localdate())
    pdf = render_pdf_cached(template, context, request=request)
    return pdf_response(pdf, pdf_filename(programme, kind))


@login_not_required
def programme_pdf(request, year):
    """A public programme's PDF comes from storage (rendered when it was published); a draft's
    is rendered now (``programme/documents.py``)."""
    programme, _versions = _programme_for(request, year)
    stored = stored_pdf(programme)
    if stored is not None:
        return protected_download(
            stored, filename=pdf_filename(programme), content_type="application/pdf", inline=True
        )
    return _document_pdf(request, programme, "pdf/programme/programme.html", "programmation")


@login_not_required
def programme_xlsx(request, year):
    programme, _versions = _programme_for(request, year)
    workbook = programme_workbook(selectors.build_programme_structure(programme))
    suffix = f"-v{programme.version}" if programme.version > 1 else ""
    return workbook_response(workbook, f"programmation-ess-{programme.year}{suffix}.xlsx")


@login_not_required
def programme_evaluation(request, year):
    """Planned, committed and paid per line and orientation; indicators target vs actual."""
    programme, versions = _programme_for(request, year, evaluated=True)
    context = selectors.programme_document(programme).as_context(
        versions=[version for version in versions if version.has_evaluation]
    )
    return render(request, "programme/programme_evaluation.html", context)


@login_not_required
def programme_evaluation_pdf(request, year):
    programme, _versions = _programme_for(request, year, evaluated=True)
    return _document_pdf(request, programme, "pdf/programme/evaluation.html", "evaluation")


# --- Development tools, public side ---------------------------------------------------------


@login_not_required
def tool_list(request):
    return render(
        request, "programme/tool_list.html", {"groups": selectors.tool_groups(request.user)}
    )


@login_not_required
def tool_detail(request, slug):
    tool = get_object_or_404(
        DevelopmentTool.objects.visible_to(request.user).select_related(
            "operator", "operator__commune"
        ),
        slug=slug,
    )
    return render(request, "programme/tool_detail.html", selectors.tool_page(tool).as_context())
