"""One base class for every POST action that calls a service.

An action view fetches its object through a queryset filtered to the user (so another
person's object is a 404), validates an optional form, calls one service and redirects. A
``ValidationError`` raised by the service is shown where it belongs: next to the form's field
it names, at the top of the form otherwise, or as a message on the page the person comes
from when the action has no form. Nothing the person typed is lost: an invalid form is
rendered again with its data (status 422).

    class PaymentPayView(StaffRequiredMixin, ServiceActionView):
        form_class = PaymentPaidForm
        template_name = "projects/conventions/payment_pay.html"
        success_message = _("The payment is recorded as paid.")

        def get_queryset(self):
            return Payment.objects.visible_to(self.request.user)

        def perform(self, payment, data):
            return services.payment_pay(payment=payment, user=self.request.user, **data)
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ess_metro import workflow


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` next to the fields it names, else on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceActionView(View):
    """POST only: object → form → service → redirect; see the module's docstring."""

    http_method_names = ["post"]
    form_class = None
    template_name = ""
    success_message = ""
    pk_url_kwarg = "pk"

    def get_queryset(self):
        raise NotImplementedError

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])

    def get_form_kwargs(self) -> dict:
        return {"data": self.request.POST, "files": self.request.FILES}

    def get_form(self):
        if self.form_class is None:
            return None
        return self.form_class(**self.get_form_kwargs())

    def perform(self, obj, data: dict):
        """Call the service; return what ``get_success_url`` needs (default: the object)."""
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return str(self.success_message)

    def get_success_url(self, result) -> str:
        target = result if hasattr(result, "get_absolute_url") else self.object
        return target.get_absolute_url()

    def get_failure_url(self) -> str:
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs) -> dict:
        return {"object": self.object, **kwargs}

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        if form is not None and not form.is_valid():
            return self.form_invalid(form)
        try:
            result = self.perform(self.object, dict(form.cleaned_data) if form else {})
        except ValidationError as error:
            if form is not None and self.template_name:
                add_service_error(form, error)
                return self.form_invalid(form)
            for message in error.messages:
                messages.error(request, message)
            return redirect(self.get_failure_url())
        message = self.get_success_message(result)
        if message:
            messages.success(request, message)
        return redirect(self.get_success_url(result if result is not None else self.object))

    def form_invalid(self, form):
        if not self.template_name:
            for field, errors in form.errors.items():
                for error in errors:
                    label = form.fields[field].label if field in form.fields else ""
                    messages.error(self.request, f"{label} : {error}" if label else error)
            return redirect(self.get_failure_url())
        context = self.get_context_data(form=form)
        return render(self.request, self.template_name, context, status=422)


class TransitionView(ServiceActionView):
    """Fire the workflow transition named in the URL (``<str:transition>``).

    Only the transitions that ``workflow.actions_for`` offers the user are accepted: the
    buttons a page shows and the actions the server takes come from one declaration. A
    ``comment`` field in the POST goes to the log.
    """

    transitions: tuple[str, ...] = ()

    def perform(self, obj, data):
        name = self.kwargs["transition"]
        if name not in self.transitions:
            raise Http404
        offered = {action.name for action in workflow.actions_for(obj, self.request.user)}
        if name not in offered:
            raise ValidationError(
                workflow.unmet_conditions(obj, name) or [_("You may not do this.")]
            )
        return workflow.fire(
            obj,
            name,
            user=self.request.user,
            comment=self.request.POST.get("comment", "").strip(),
        )
