"""Staff pages of the programme app under /gestion/: annual programmes and development tools."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from ess_metro.accounts.mixins import StaffRequiredMixin

from . import services
from .forms import (
    EndowmentForm,
    EvaluationForm,
    IndicatorForm,
    IndicatorResultForm,
    LineForm,
    ProgrammeCopyForm,
    ProgrammeCreateForm,
    ProgrammeForm,
    SupportForm,
    ToolForm,
    TransitionForm,
)
from .models import (
    AnnualProgramme,
    DevelopmentTool,
    Indicator,
    ProgrammeLine,
    ProgrammeStatus,
    ToolEndowment,
    ToolSupport,
)
from .services import TRANSITIONS
from .structure import programme_document


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Annual programmes ---------------------------------------------------------------------


class ProgrammeListView(StaffRequiredMixin, View):
    """Every programme and version, with the forms to start a new year."""

    def get(self, request, create_form=None, copy_form=None, status=200):
        programmes = (
            AnnualProgramme.objects.visible_to(request.user)
            .annotate(planned_total=Sum("lines__planned_amount"), line_count=Count("lines"))
            .order_by("-year", "-version")
        )
        return render(
            request,
            "programme/staff/programme_list.html",
            {
                "programmes": programmes,
                "create_form": create_form or ProgrammeCreateForm(prefix="new"),
                "copy_form": copy_form or ProgrammeCopyForm(prefix="copy"),
            },
            status=status,
        )


class ProgrammeCreateView(ProgrammeListView):
    def post(self, request):
        form = ProgrammeCreateForm(request.POST, prefix="new")
        if form.is_valid():
            try:
                programme = services.programme_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("year", error)
            else:
                messages.success(request, _("The draft programme has been created."))
                return redirect(programme.get_staff_url())
        return self.get(request, create_form=form, status=400)


class ProgrammeCopyView(ProgrammeListView):
    def post(self, request):
        form = ProgrammeCopyForm(request.POST, prefix="copy")
        if form.is_valid():
            try:
                programme = services.programme_copy_previous_year(
                    year=form.cleaned_data["year"], user=request.user
                )
            except ValidationError as error:
                form.add_error("year", error)
            else:
                messages.success(
                    request, _("Last year's programme has been copied into a new draft.")
                )
                return redirect(programme.get_staff_url())
        return self.get(request, copy_form=form, status=400)


class StaffProgrammeMixin(StaffRequiredMixin):
    def get_programme(self):
        return get_object_or_404(
            AnnualProgramme.objects.visible_to(self.request.user).select_related(
                "plan", "previous_version"
            ),
            pk=self.kwargs["pk"],
        )


class ProgrammeDetailView(StaffProgrammeMixin, View):
    """The editor of a programme: lines by axis, workflow, versions and log."""

    def get(self, request, pk, transition_form=None, status=200):
        programme = self.get_programme()
        context = programme_document(programme)
        next_statuses = [ProgrammeStatus(value) for value in TRANSITIONS[programme.status]]
        context.update(
            {
                "next_statuses": sorted(next_statuses, key=list(ProgrammeStatus).index),
                "transition_form": transition_form or TransitionForm(),
                "versions": AnnualProgramme.objects.filter(year=programme.year).order_by(
                    "-version"
                ),
                "needs_deliberation": ProgrammeStatus.ADOPTED in next_statuses,
            }
        )
        return render(request, "programme/staff/programme_detail.html", context, status=status)


class ProgrammeTransitionView(ProgrammeDetailView):
    def post(self, request, pk):
        programme = self.get_programme()
        form = TransitionForm(request.POST, programme=programme)
        if form.is_valid():
            try:
                services.programme_transition(
                    programme=programme, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The programme's status has been changed."))
                return redirect(programme.get_staff_url())
        return self.get(request, pk, transition_form=form, status=400)


class ProgrammeNewVersionView(StaffProgrammeMixin, View):
    def post(self, request, pk):
        programme = self.get_programme()
        try:
            new = services.programme_new_version(
                programme=programme, user=request.user, comment=request.POST.get("comment", "")
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect(programme.get_staff_url())
        messages.success(
            request,
            _("Version %(version)s has been created; the adopted version stays readable.")
            % {"version": new.version},
        )
        return redirect(new.get_staff_url())


class ProgrammeUpdateView(StaffProgrammeMixin, View):
    template_name = "programme/staff/programme_form.html"

    def _render(self, request, programme, form, status=200):
        return render(
            request, self.template_name, {"programme": programme, "form": form}, status=status
        )

    def get(self, request, pk):
        programme = self.get_programme()
        if not programme.is_editable:
            messages.error(request, _("Only a draft can be changed."))
            return redirect(programme.get_staff_url())
        return self._render(request, programme, ProgrammeForm(instance=programme))

    def post(self, request, pk):
        programme = self.get_programme()
        form = ProgrammeForm(request.POST, instance=programme)
        if form.is_valid():
            try:
                services.programme_update(form=form, user=request.user)
            except ValidationError as error:
                messages.error(request, _error_text(error))
                return redirect(programme.get_staff_url())
            messages.success(request, _("The programme has been saved."))
            return redirect(programme.get_staff_url())
        return self._render(request, programme, form, status=400)


class EvaluationUpdateView(ProgrammeUpdateView):
    template_name = "programme/staff/evaluation_form.html"

    def get(self, request, pk):
        programme = self.get_programme()
        if programme.status != ProgrammeStatus.PUBLISHED:
            messages.error(request, _("The evaluation is written once the programme is published."))
            return redirect(programme.get_staff_url())
        return self._render(request, programme, EvaluationForm(instance=programme))

    def post(self, request, pk):
        programme = self.get_programme()
        form = EvaluationForm(request.POST, instance=programme)
        if form.is_valid():
            try:
                services.programme_save_evaluation(form=form, user=request.user)
            except ValidationError as error:
                messages.error(request, _error_text(error))
                return redirect(programme.get_staff_url())
            messages.success(request, _("The evaluation has been saved."))
            return redirect(programme.get_staff_url())
        return self._render(request, programme, form, status=400)


# --- Lines and indicators ------------------------------------------------------------------


class LineFormView(StaffRequiredMixin, View):
    template_name = "programme/staff/line_form.html"

    def get_objects(self):
        """(programme, line or None)"""
        raise NotImplementedError

    def _render(self, request, programme, line, form, status=200):
        return render(
            request,
            self.template_name,
            {"programme": programme, "line": line, "form": form},
            status=status,
        )

    def get(self, request, pk):
        programme, line = self.get_objects()
        if not programme.is_editable:
            messages.error(request, _("Only a draft can be changed."))
            return redirect(programme.get_staff_url())
        form = LineForm(instance=line, programme=programme)
        return self._render(request, programme, line, form)

    def post(self, request, pk):
        programme, line = self.get_objects()
        form = LineForm(request.POST, instance=line, programme=programme)
        if form.is_valid():
            try:
                services.line_save(form=form, programme=programme, user=request.user)
            except ValidationError as error:
                messages.error(request, _error_text(error))
                return redirect(programme.get_staff_url())
            messages.success(request, _("The line has been saved."))
            return redirect(programme.get_staff_url() + f"#axis-{form.instance.axis_id}")
        return self._render(request, programme, line, form, status=400)


class LineCreateView(LineFormView):
    def get_objects(self):
        programme = get_object_or_404(
            AnnualProgramme.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        return programme, None


class LineUpdateView(LineFormView):
    def get_objects(self):
        line = get_object_or_404(
            ProgrammeLine.objects.visible_to(self.request.user).select_related("programme"),
            pk=self.kwargs["pk"],
        )
        return line.programme, line


class LineDeleteView(StaffRequiredMixin, View):
    def get_line(self):
        return get_object_or_404(
            ProgrammeLine.objects.visible_to(self.request.user).select_related("programme"),
            pk=self.kwargs["pk"],
        )

    def get(self, request, pk):
        line = self.get_line()
        return render(request, "programme/staff/line_delete.html", {"line": line})

    def post(self, request, pk):
        line = self.get_line()
        programme = line.programme
        try:
            services.line_delete(line=line, user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The line has been deleted."))
        return redirect(programme.get_staff_url())


class LineIndicatorsView(StaffRequiredMixin, View):
    """The indicators of a line, with the form to add one while the programme is a draft."""

    def get_line(self):
        return get_object_or_404(
            ProgrammeLine.objects.visible_to(self.request.user).select_related(
                "programme", "axis__orientation", "beneficiary"
            ),
            pk=self.kwargs["pk"],
        )

    def get(self, request, pk, form=None, status=200):
        line = self.get_line()
        template = (
            "programme/staff/_indicators.html"
            if request.htmx
            else "programme/staff/line_indicators.html"
        )
        return render(
            request,
            template,
            {
                "line": line,
                "programme": line.programme,
                "indicators": list(line.indicators.all()),
                "form": form or IndicatorForm(),
            },
            status=status,
        )

    def post(self, request, pk):
        line = self.get_line()
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                if not line.programme.is_editable:
                    raise ValidationError(_("Indicators are added while the programme is a draft."))
                services.indicator_save(form=form, line=line, user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if request.htmx:
                    return self.get(request, pk)
                messages.success(request, _("The indicator has been added."))
                return redirect("programme:staff_line_indicators", pk=line.pk)
        # htmx swaps only successful responses: the partial with its errors comes back as 200.
        return self.get(request, pk, form=form, status=200 if request.htmx else 400)


class IndicatorUpdateView(StaffRequiredMixin, View):
    """Targets in a draft, results once the programme is published."""

    def get_indicator(self):
        return get_object_or_404(
            Indicator.objects.filter(
                line__in=ProgrammeLine.objects.visible_to(self.request.user)
            ).select_related("line__programme"),
            pk=self.kwargs["pk"],
        )

    def form_class(self, indicator):
        if indicator.line.programme.status == ProgrammeStatus.PUBLISHED:
            return IndicatorResultForm
        return IndicatorForm

    def _render(self, request, indicator, form, status=200):
        return render(
            request,
            "programme/staff/indicator_form.html",
            {"indicator": indicator, "line": indicator.line, "form": form},
            status=status,
        )

    def get(self, request, pk):
        indicator = self.get_indicator()
        if not indicator.line.programme.indicators_editable:
            messages.error(
                request,
                _(
                    "Indicators can be changed in a draft (targets) "
                    "or a published programme (results)."
                ),
            )
            return redirect("programme:staff_line_indicators", pk=indicator.line_id)
        return self._render(request, indicator, self.form_class(indicator)(instance=indicator))

    def post(self, request, pk):
        indicator = self.get_indicator()
        form = self.form_class(indicator)(request.POST, instance=indicator)
        if form.is_valid():
            try:
                services.indicator_save(form=form, line=indicator.line, user=request.user)
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("The indicator has been saved."))
            return redirect("programme:staff_line_indicators", pk=indicator.line_id)
        return self._render(request, indicator, form, status=400)


class IndicatorDeleteView(IndicatorUpdateView):
    def get(self, request, pk):
        indicator = self.get_indicator()
        return render(request, "programme/staff/indicator_delete.html", {"indicator": indicator})

    def post(self, request, pk):
        indicator = self.get_indicator()
        try:
            services.indicator_delete(indicator=indicator, user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The indicator has been deleted."))
        return redirect("programme:staff_line_indicators", pk=indicator.line_id)


# --- Development tools ---------------------------------------------------------------------


class ToolListView(StaffRequiredMixin, ListView):
    template_name = "programme/staff/tool_list.html"
    context_object_name = "tools"

    def get_queryset(self):
        return (
            DevelopmentTool.objects.visible_to(self.request.user)
            .select_related("operator")
            .annotate(support_count=Count("supports", distinct=True))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        endowments = (
            ToolEndowment.objects.filter(tool__in=context["tools"])
            .values("tool_id")
            .annotate(committed=Sum("amount"), paid=Sum("paid_amount"))
            .order_by()
        )
        by_tool = {row["tool_id"]: row for row in endowments}
        for tool in context["tools"]:
            row = by_tool.get(tool.pk, {})
            tool.committed_total = row.get("committed") or Decimal("0.00")
            tool.paid_total = row.get("paid") or Decimal("0.00")
        return context


class StaffToolMixin(StaffRequiredMixin):
    def get_tool(self):
        return get_object_or_404(
            DevelopmentTool.objects.visible_to(self.request.user).select_related("operator"),
            pk=self.kwargs["pk"],
        )


class ToolDetailView(StaffToolMixin, View):
    def get(self, request, pk):
        tool = self.get_tool()
        return render(
            request,
            "programme/staff/tool_detail.html",
            {
                "tool": tool,
                "endowments": list(tool.endowments.select_related("line__programme")),
                "supports": list(tool.supports.select_related("organisation")),
            },
        )


class ToolFormView(StaffRequiredMixin, View):
    def get_tool(self):
        return None

    def _render(self, request, tool, form, status=200):
        return render(
            request,
            "programme/staff/tool_form.html",
            {"tool": tool, "form": form},
            status=status,
        )

    def get(self, request, **kwargs):
        tool = self.get_tool()
        return self._render(request, tool, ToolForm(instance=tool))

    def post(self, request, **kwargs):
        tool = self.get_tool()
        form = ToolForm(request.POST, instance=tool)
        if form.is_valid():
            tool = form.save()
            messages.success(request, _("The development tool has been saved."))
            return redirect(tool.get_staff_url())
        return self._render(request, tool, form, status=400)


class ToolCreateView(ToolFormView):
    pass


class ToolUpdateView(StaffToolMixin, ToolFormView):
    pass


class ToolChildFormView(StaffRequiredMixin, View):
    """Create or change an endowment or a supported organisation of a tool."""

    model = None
    form_class = None
    template_name = "programme/staff/tool_child_form.html"
    saved_message = ""

    def get_objects(self):
        """(tool, object or None)"""
        if "tool_pk" in self.kwargs:
            tool = get_object_or_404(
                DevelopmentTool.objects.visible_to(self.request.user), pk=self.kwargs["tool_pk"]
            )
            return tool, None
        obj = get_object_or_404(
            self.model.objects.filter(
                tool__in=DevelopmentTool.objects.visible_to(self.request.user)
            ).select_related("tool"),
            pk=self.kwargs["pk"],
        )
        return obj.tool, obj

    def _render(self, request, tool, obj, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "tool": tool,
                "object": obj,
                "form": form,
                "verbose_name": self.model._meta.verbose_name,
            },
            status=status,
        )

    def get(self, request, **kwargs):
        tool, obj = self.get_objects()
        return self._render(request, tool, obj, self.form_class(instance=obj, tool=tool))

    def post(self, request, **kwargs):
        tool, obj = self.get_objects()
        form = self.form_class(request.POST, instance=obj, tool=tool)
        if form.is_valid():
            form.save()
            messages.success(request, str(self.saved_message))
            return redirect(tool.get_staff_url())
        return self._render(request, tool, obj, form, status=400)


class EndowmentFormView(ToolChildFormView):
    model = ToolEndowment
    form_class = EndowmentForm
    saved_message = gettext_lazy("The endowment has been saved.")


class SupportFormView(ToolChildFormView):
    model = ToolSupport
    form_class = SupportForm
    saved_message = gettext_lazy("The supported organisation has been saved.")


class ToolChildDeleteView(ToolChildFormView):
    template_name = "programme/staff/tool_child_delete.html"

    def get(self, request, **kwargs):
        tool, obj = self.get_objects()
        return render(
            request,
            self.template_name,
            {"tool": tool, "object": obj, "verbose_name": self.model._meta.verbose_name},
        )

    def post(self, request, **kwargs):
        tool, obj = self.get_objects()
        obj.delete()
        messages.success(request, _("The record has been deleted."))
        return redirect(tool.get_staff_url())


class EndowmentDeleteView(ToolChildDeleteView):
    model = ToolEndowment


class SupportDeleteView(ToolChildDeleteView):
    model = ToolSupport
