"""Staff pages of the programme app under /gestion/: annual programmes and development tools.

Every page needs the ``programme.manage`` permission (``programme/permissions.py``). Three
kinds of views, each thin (one selector or one service):

- pages (``View.get``) render what a selector gives;
- form pages (``StaffFormPage``) show a form, call one service and redirect; a service that
  refuses (a frozen programme…) says why in a message on the page they came from;
- actions (``StaffAction``, the kernel's ``ServiceActionView``) call one service on POST; an
  invalid form comes back on its page with status 400 and what was typed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ess_metro.actions import ServiceActionView
from ess_metro.permissions import PermissionMixin

from .. import selectors, services
from ..forms import (
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
from ..models import (
    AnnualProgramme,
    DevelopmentTool,
    Indicator,
    ProgrammeLine,
    ProgrammeStatus,
    ToolEndowment,
    ToolSupport,
)
from ..permissions import MANAGE


class ManageMixin(PermissionMixin):
    permission_required = MANAGE


class StaffAction(ManageMixin, ServiceActionView):
    """A POST calling one service (``ServiceActionView``); ``get`` may show its page."""

    def form_invalid(self, form):
        if not self.template_name:
            return super().form_invalid(form)
        return render(
            self.request, self.template_name, self.get_context_data(form=form), status=400
        )

    def get_success_url(self, result) -> str:
        return result.get_staff_url()

    def get_failure_url(self) -> str:
        return self.object.get_staff_url()


class StaffDeleteAction(StaffAction):
    """GET: the page asking to confirm; POST: the service that deletes."""

    http_method_names = ["get", "post"]
    confirm_template = ""
    context_object_name = ""

    def get_confirm_context(self, obj) -> dict:
        return {self.context_object_name: obj}

    def get(self, request, **kwargs):
        context = self.get_confirm_context(self.get_object())
        return render(request, self.confirm_template, context)


class StaffFormPage(ManageMixin, View):
    """GET shows a form, POST calls one service; see the module's docstring."""

    form_class = None
    template_name = ""
    success_message = ""

    def get_object(self):
        return None

    def refusal(self, obj) -> str:
        """Why the form is not shown now (empty: it is)."""
        return ""

    def get_form(self, obj, data=None):
        return self.form_class(data, instance=obj)

    def get_context_data(self, obj, form) -> dict:
        return {"form": form}

    def save(self, form, obj):
        raise NotImplementedError

    def get_success_url(self, obj, saved) -> str:
        return self.get_return_url(obj)

    def get_return_url(self, obj) -> str:
        raise NotImplementedError

    def render_form(self, obj, form, status=200):
        context = self.get_context_data(obj, form)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, **kwargs):
        obj = self.get_object()
        refusal = self.refusal(obj)
        if refusal:
            messages.error(request, refusal)
            return redirect(self.get_return_url(obj))
        return self.render_form(obj, self.get_form(obj))

    def post(self, request, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if not form.is_valid():
            return self.render_form(obj, form, status=400)
        try:
            saved = self.save(form, obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.get_return_url(obj))
        messages.success(request, str(self.success_message))
        return redirect(self.get_success_url(obj, saved))


# --- Annual programmes ---------------------------------------------------------------------


class ProgrammeListView(ManageMixin, View):
    """Every programme and version, with the forms to start a new year."""

    def get(self, request, **kwargs):
        return render(request, "programme/staff/programme_list.html", self.page())

    def page(self, **forms) -> dict:
        return {
            "programmes": selectors.staff_programmes(self.request.user),
            "create_form": ProgrammeCreateForm(prefix="new"),
            "copy_form": ProgrammeCopyForm(prefix="copy"),
            **forms,
        }


class ProgrammeStartView(ProgrammeListView, StaffAction):
    """Start a year's programme from the list page (its form comes back there if invalid)."""

    http_method_names = ["get", "post"]
    template_name = "programme/staff/programme_list.html"
    prefix = ""
    form_key = ""

    def get_object(self):
        return None

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "prefix": self.prefix}

    def get_context_data(self, **kwargs) -> dict:
        return self.page(**{self.form_key: kwargs["form"]})


class ProgrammeCreateView(ProgrammeStartView):
    form_class = ProgrammeCreateForm
    prefix = "new"
    form_key = "create_form"
    success_message = gettext_lazy("The draft programme has been created.")

    def perform(self, obj, data):
        return services.programme_create(user=self.request.user, **data)


class ProgrammeCopyView(ProgrammeStartView):
    form_class = ProgrammeCopyForm
    prefix = "copy"
    form_key = "copy_form"
    success_message = gettext_lazy("Last year's programme has been copied into a new draft.")

    def perform(self, obj, data):
        return services.programme_copy_previous_year(year=data["year"], user=self.request.user)


class StaffProgrammeMixin(ManageMixin):
    def get_queryset(self):
        return AnnualProgramme.objects.visible_to(self.request.user).select_related(
            "plan", "previous_version"
        )

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class ProgrammeDetailView(StaffProgrammeMixin, View):
    """The editor of a programme: lines by axis, workflow, versions, log and audit."""

    template_name = "programme/staff/programme_detail.html"

    def get(self, request, pk):
        return render(request, self.template_name, self.editor(self.get_object()))

    def editor(self, programme, form=None) -> dict:
        editor = selectors.programme_editor(programme, self.request.user)
        return editor.as_context(transition_form=form or TransitionForm())


class ProgrammeTransitionView(ProgrammeDetailView, StaffAction):
    """One step of the workflow (the model's transitions), asked from the editor."""

    http_method_names = ["get", "post"]
    form_class = TransitionForm
    success_message = gettext_lazy("The programme's status has been changed.")

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "programme": self.object}

    def get_context_data(self, **kwargs) -> dict:
        return self.editor(self.object, kwargs["form"])

    def perform(self, programme, data):
        return services.programme_transition(programme=programme, user=self.request.user, **data)


class ProgrammeNewVersionView(StaffProgrammeMixin, StaffAction):
    def perform(self, programme, data):
        return services.programme_new_version(
            programme=programme,
            user=self.request.user,
            comment=self.request.POST.get("comment", ""),
        )

    def get_success_message(self, result) -> str:
        return _("Version %(version)s has been created; the adopted version stays readable.") % {
            "version": result.version
        }


class ProgrammeFormPage(StaffProgrammeMixin, StaffFormPage):
    def get_context_data(self, programme, form) -> dict:
        return {"programme": programme, "form": form}

    def get_return_url(self, programme) -> str:
        return programme.get_staff_url()


class ProgrammeUpdateView(ProgrammeFormPage):
    form_class = ProgrammeForm
    template_name = "programme/staff/programme_form.html"
    success_message = gettext_lazy("The programme has been saved.")

    def refusal(self, programme) -> str:
        return "" if programme.is_editable else _("Only a draft can be changed.")

    def save(self, form, programme):
        return services.programme_update(form=form, user=self.request.user)


class EvaluationUpdateView(ProgrammeFormPage):
    form_class = EvaluationForm
    template_name = "programme/staff/evaluation_form.html"
    success_message = gettext_lazy("The evaluation has been saved.")

    def refusal(self, programme) -> str:
        if programme.status == ProgrammeStatus.PUBLISHED:
            return ""
        if programme.status == ProgrammeStatus.EVALUATED:
            return _("This programme is evaluated: its evaluation can no longer be changed.")
        return _("The evaluation is written once the programme is published.")

    def save(self, form, programme):
        return services.programme_save_evaluation(form=form, user=self.request.user)


# --- Lines and indicators ------------------------------------------------------------------


def _visible_lines(user):
    return ProgrammeLine.objects.visible_to(user).select_related("programme")


class LineFormView(StaffFormPage):
    """Create (``pk`` of the programme) or change (``pk`` of the line) a line of a draft."""

    form_class = LineForm
    template_name = "programme/staff/line_form.html"
    success_message = gettext_lazy("The line has been saved.")

    def get_form(self, pair, data=None):
        programme, line = pair
        return LineForm(data, instance=line, programme=programme)

    def get_context_data(self, pair, form) -> dict:
        programme, line = pair
        return {"programme": programme, "line": line, "form": form}

    def refusal(self, pair) -> str:
        return "" if pair[0].is_editable else _("Only a draft can be changed.")

    def save(self, form, pair):
        return services.line_save(form=form, programme=pair[0], user=self.request.user)

    def get_return_url(self, pair) -> str:
        return pair[0].get_staff_url()

    def get_success_url(self, pair, line) -> str:
        return pair[0].get_staff_url() + f"#axis-{line.axis_id}"


class LineCreateView(LineFormView):
    def get_object(self):
        programme = get_object_or_404(
            AnnualProgramme.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        return programme, None


class LineUpdateView(LineFormView):
    def get_object(self):
        line = get_object_or_404(_visible_lines(self.request.user), pk=self.kwargs["pk"])
        return line.programme, line


class LineDeleteView(StaffDeleteAction):
    confirm_template = "programme/staff/line_delete.html"
    context_object_name = "line"
    success_message = gettext_lazy("The line has been deleted.")

    def get_queryset(self):
        return _visible_lines(self.request.user)

    def perform(self, line, data):
        services.line_delete(line=line, user=self.request.user)
        return line.programme

    def get_failure_url(self) -> str:
        return self.object.programme.get_staff_url()


class LineIndicatorsView(ManageMixin, View):
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
        context = {
            "line": line,
            "programme": line.programme,
            "indicators": list(line.indicators.all()),
            "form": form or IndicatorForm(),
        }
        return render(request, template, context, status=status)

    def post(self, request, pk):
        line = self.get_line()
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                services.indicator_add(form=form, line=line, user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if request.htmx:
                    return self.get(request, pk)
                messages.success(request, _("The indicator has been added."))
                return redirect("programme:staff_line_indicators", pk=line.pk)
        # htmx swaps only successful responses: the partial with its errors comes back as 200.
        return self.get(request, pk, form=form, status=200 if request.htmx else 400)


def _visible_indicators(user):
    return Indicator.objects.filter(line__in=ProgrammeLine.objects.visible_to(user)).select_related(
        "line__programme"
    )


def _indicators_url(indicator) -> str:
    return reverse("programme:staff_line_indicators", args=[indicator.line_id])


class IndicatorUpdateView(StaffFormPage):
    """Targets in a draft, results once the programme is published."""

    template_name = "programme/staff/indicator_form.html"
    success_message = gettext_lazy("The indicator has been saved.")

    def get_object(self):
        return get_object_or_404(_visible_indicators(self.request.user), pk=self.kwargs["pk"])

    def get_form(self, indicator, data=None):
        published = indicator.line.programme.status == ProgrammeStatus.PUBLISHED
        form_class = IndicatorResultForm if published else IndicatorForm
        return form_class(data, instance=indicator)

    def get_context_data(self, indicator, form) -> dict:
        return {"indicator": indicator, "line": indicator.line, "form": form}

    def refusal(self, indicator) -> str:
        if indicator.line.programme.indicators_editable:
            return ""
        return _(
            "Indicators can be changed in a draft (targets) or a published programme (results)."
        )

    def save(self, form, indicator):
        return services.indicator_save(form=form, line=indicator.line, user=self.request.user)

    def get_return_url(self, indicator) -> str:
        return _indicators_url(indicator)


class IndicatorDeleteView(StaffDeleteAction):
    confirm_template = "programme/staff/indicator_delete.html"
    context_object_name = "indicator"
    success_message = gettext_lazy("The indicator has been deleted.")

    def get_queryset(self):
        return _visible_indicators(self.request.user)

    def perform(self, indicator, data):
        services.indicator_delete(indicator=indicator, user=self.request.user)
        return indicator

    def get_success_url(self, indicator) -> str:
        return _indicators_url(indicator)

    def get_failure_url(self) -> str:
        return _indicators_url(self.object)


# --- Development tools ---------------------------------------------------------------------


class ToolListView(ManageMixin, View):
    def get(self, request):
        tools = selectors.staff_tools(request.user)
        return render(request, "programme/staff/tool_list.html", {"tools": tools})


def _visible_tools(user):
    return DevelopmentTool.objects.visible_to(user)


class ToolDetailView(ManageMixin, View):
    def get(self, request, pk):
        tool = get_object_or_404(
            _visible_tools(request.user).select_related("operator"), pk=self.kwargs["pk"]
        )
        context = selectors.staff_tool_page(tool).as_context()
        return render(request, "programme/staff/tool_detail.html", context)


class ToolCreateView(StaffFormPage):
    form_class = ToolForm
    template_name = "programme/staff/tool_form.html"
    success_message = gettext_lazy("The development tool has been saved.")

    def get_context_data(self, tool, form) -> dict:
        return {"tool": tool, "form": form}

    def save(self, form, tool):
        return services.tool_save(form=form, user=self.request.user)

    def get_success_url(self, tool, saved) -> str:
        return saved.get_staff_url()

    def get_return_url(self, tool) -> str:
        return tool.get_staff_url() if tool else reverse("programme:staff_tool_list")


class ToolUpdateView(ToolCreateView):
    def get_object(self):
        return get_object_or_404(
            _visible_tools(self.request.user).select_related("operator"), pk=self.kwargs["pk"]
        )


class ToolRecordMixin:
    """An endowment or a supported organisation of a tool: (tool, record or None)."""

    model = None

    def get_object(self):
        if "tool_pk" in self.kwargs:
            tool = get_object_or_404(_visible_tools(self.request.user), pk=self.kwargs["tool_pk"])
            return tool, None
        record = get_object_or_404(
            self.model.objects.filter(tool__in=_visible_tools(self.request.user)).select_related(
                "tool"
            ),
            pk=self.kwargs["pk"],
        )
        return record.tool, record

    def get_context_data(self, pair, form=None) -> dict:
        tool, record = pair
        context = {"tool": tool, "object": record, "verbose_name": self.model._meta.verbose_name}
        return context if form is None else {**context, "form": form}


class ToolRecordFormView(ToolRecordMixin, StaffFormPage):
    """Create or change an endowment or a supported organisation of a tool."""

    template_name = "programme/staff/tool_child_form.html"

    def get_form(self, pair, data=None):
        tool, record = pair
        return self.form_class(data, instance=record, tool=tool)

    def save(self, form, pair):
        return services.tool_record_save(form=form, user=self.request.user)

    def get_return_url(self, pair) -> str:
        return pair[0].get_staff_url()


class EndowmentFormView(ToolRecordFormView):
    model = ToolEndowment
    form_class = EndowmentForm
    success_message = gettext_lazy("The endowment has been saved.")


class SupportFormView(ToolRecordFormView):
    model = ToolSupport
    form_class = SupportForm
    success_message = gettext_lazy("The supported organisation has been saved.")


class ToolRecordDeleteView(ToolRecordMixin, StaffDeleteAction):
    confirm_template = "programme/staff/tool_child_delete.html"
    success_message = gettext_lazy("The record has been deleted.")

    def get_confirm_context(self, pair) -> dict:
        return self.get_context_data(pair)

    def perform(self, pair, data):
        tool, record = pair
        services.tool_record_delete(record=record, user=self.request.user)
        return tool

    def get_failure_url(self) -> str:
        return self.object[0].get_staff_url()


class EndowmentDeleteView(ToolRecordDeleteView):
    model = ToolEndowment


class SupportDeleteView(ToolRecordDeleteView):
    model = ToolSupport
