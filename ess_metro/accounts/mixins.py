from django.contrib.auth.mixins import AccessMixin

from . import roles


class RoleRequiredMixin(AccessMixin):
    """Anonymous users go to the login page; logged-in users without the role get a 403."""

    required_role: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        roles.require_role(request.user, self.required_role)
        return super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(RoleRequiredMixin):
    required_role = roles.STAFF


class CommitteeRequiredMixin(RoleRequiredMixin):
    """Committee pages are open to committee members and to Métro staff."""

    required_role = roles.COMMITTEE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.has_role(request.user, roles.STAFF):
            return super(RoleRequiredMixin, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)
