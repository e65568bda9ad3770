from decimal import Decimal

from django.contrib.auth.decorators import login_not_required
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ess_metro.exports import XLSX_TYPE
from ess_metro.pdf import pdf_response, render_pdf_cached
from ess_metro.views import optional_queryset

from .exports import programme_workbook
from .models import AnnualProgramme, DevelopmentTool, Orientation, Plan, ToolKind
from .structure import build_programme_structure, programme_document


def _current_plan_with_orientations():
    plan = Plan.objects.current()
    orientations = Orientation.objects.filter(plan=plan).prefetch_related("axes") if plan else []
    return plan, orientations


@login_not_required
def home(request):
    """What the plan is, its four orientations and what is open now."""
    plan, orientations = _current_plan_with_orientations()
    open_calls = optional_queryset("projects.Call", "open_now")
    upcoming_events = optional_queryset("communication.Event", "upcoming")
    return render(
        request,
        "programme/home.html",
        {
            "plan": plan,
            "orientations": orientations,
            "open_calls": list(open_calls[:3]) if open_calls is not None else [],
            "upcoming_events": list(upcoming_events[:4]) if upcoming_events is not None else [],
        },
    )


@login_not_required
def plan_detail(request):
    """The plan, each orientation and axis, and the steering committee's missions."""
    plan, orientations = _current_plan_with_orientations()
    return render(request, "programme/plan.html", {"plan": plan, "orientations": orientations})


# --- The annual programme, public side ------------------------------------------------------


def _requested_version(request):
    try:
        return int(request.GET["version"])
    except (KeyError, ValueError):
        return None


def _programme_for(request, year):
    """The programme of ``year`` this user may see (404 otherwise), and its other versions."""
    visible = AnnualProgramme.objects.visible_to(request.user)
    programme = visible.select_related("plan").version_for(year, _requested_version(request))
    if programme is None:
        raise Http404
    versions = list(visible.filter(year=year).order_by("-version"))
    return programme, versions


@login_not_required
def programme_index(request):
    """Every annual programme the user may read, with its planned total."""
    programmes = (
        AnnualProgramme.objects.visible_to(request.user)
        .annotate(planned_total=Sum("lines__planned_amount"))
        .order_by("-year", "-version")
    )
    years = {}
    for programme in programmes:
        years.setdefault(programme.year, []).append(programme)
    return render(
        request,
        "programme/programme_index.html",
        {
            "years": [
                {"year": year, "programme": versions[0], "versions": versions}
                for year, versions in years.items()
            ],
            "tool_count": DevelopmentTool.objects.visible_to(request.user).count(),
        },
    )


@login_not_required
def programme_detail(request, year):
    programme, versions = _programme_for(request, year)
    context = programme_document(programme)
    context["versions"] = versions
    return render(request, "programme/programme_detail.html", context)


def _pdf_filename(programme, kind="programmation"):
    suffix = f"-v{programme.version}" if programme.version > 1 else ""
    draft = "-brouillon" if programme.is_draft_document else ""
    return f"{kind}-ess-{programme.year}{suffix}{draft}.pdf"


@login_not_required
def programme_pdf(request, year):
    programme, _versions = _programme_for(request, year)
    context = programme_document(programme)
    context["generated_on"] = timezone.localdate()
    pdf = render_pdf_cached("pdf/programme/programme.html", context, request=request)
    return pdf_response(pdf, _pdf_filename(programme))


@login_not_required
def programme_xlsx(request, year):
    programme, _versions = _programme_for(request, year)
    data = programme_workbook(build_programme_structure(programme))
    suffix = f"-v{programme.version}" if programme.version > 1 else ""
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="programmation-ess-{programme.year}{suffix}.xlsx"'
    )
    return response


def _evaluated_programme_for(request, year):
    programme, versions = _programme_for(request, year)
    if not programme.has_evaluation:
        raise Http404
    return programme, versions


@login_not_required
def programme_evaluation(request, year):
    """Planned, committed and paid per line and orientation; indicators target vs actual."""
    programme, versions = _evaluated_programme_for(request, year)
    context = programme_document(programme)
    context["versions"] = [version for version in versions if version.has_evaluation]
    return render(request, "programme/programme_evaluation.html", context)


@login_not_required
def programme_evaluation_pdf(request, year):
    programme, _versions = _evaluated_programme_for(request, year)
    context = programme_document(programme)
    context["generated_on"] = timezone.localdate()
    pdf = render_pdf_cached("pdf/programme/evaluation.html", context, request=request)
    return pdf_response(pdf, _pdf_filename(programme, "evaluation"))


# --- Development tools, public side ---------------------------------------------------------


@login_not_required
def tool_list(request):
    tools = DevelopmentTool.objects.visible_to(request.user).select_related("operator")
    groups = []
    for kind in ToolKind:
        groups.append({"kind": kind, "tools": [tool for tool in tools if tool.kind == kind.value]})
    return render(request, "programme/tool_list.html", {"groups": groups})


@login_not_required
def tool_detail(request, slug):
    tool = get_object_or_404(
        DevelopmentTool.objects.visible_to(request.user).select_related(
            "operator", "operator__commune"
        ),
        slug=slug,
    )
    supports = list(tool.supports.select_related("organisation", "organisation__commune"))
    endowments = list(tool.endowments.select_related("line__programme"))
    return render(
        request,
        "programme/tool_detail.html",
        {
            "tool": tool,
            "supports": supports,
            "endowments": endowments,
            "support_total": sum((support.amount for support in supports), Decimal("0.00")),
            "jobs_total": sum(support.jobs_concerned for support in supports),
            "endowment_total": sum((endowment.amount for endowment in endowments), Decimal("0.00")),
        },
    )
