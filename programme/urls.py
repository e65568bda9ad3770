from django.urls import path

from .views import public, staff

app_name = "programme"

urlpatterns = [
    path("plan/", public.plan_detail, name="plan"),
    # The annual programme, public (published) or by role.
    path("programmation/", public.programme_index, name="programme_index"),
    path("programmation/<int:year>/", public.programme_detail, name="programme_detail"),
    path("programmation/<int:year>/pdf/", public.programme_pdf, name="programme_pdf"),
    path("programmation/<int:year>/xlsx/", public.programme_xlsx, name="programme_xlsx"),
    path(
        "programmation/<int:year>/evaluation/",
        public.programme_evaluation,
        name="programme_evaluation",
    ),
    path(
        "programmation/<int:year>/evaluation/pdf/",
        public.programme_evaluation_pdf,
        name="programme_evaluation_pdf",
    ),
    # Development tools (orientation 2), public.
    path("outils/", public.tool_list, name="tool_list"),
    path("outils/<slug:slug>/", public.tool_detail, name="tool_detail"),
    # Staff: annual programmes.
    path(
        "gestion/programmation/",
        staff.ProgrammeListView.as_view(),
        name="staff_programme_list",
    ),
    path(
        "gestion/programmation/nouvelle/",
        staff.ProgrammeCreateView.as_view(),
        name="staff_programme_create",
    ),
    path(
        "gestion/programmation/copier/",
        staff.ProgrammeCopyView.as_view(),
        name="staff_programme_copy",
    ),
    path(
        "gestion/programmation/<int:pk>/",
        staff.ProgrammeDetailView.as_view(),
        name="staff_programme_detail",
    ),
    path(
        "gestion/programmation/<int:pk>/modifier/",
        staff.ProgrammeUpdateView.as_view(),
        name="staff_programme_update",
    ),
    path(
        "gestion/programmation/<int:pk>/etat/",
        staff.ProgrammeTransitionView.as_view(),
        name="staff_programme_transition",
    ),
    path(
        "gestion/programmation/<int:pk>/nouvelle-version/",
        staff.ProgrammeNewVersionView.as_view(),
        name="staff_programme_new_version",
    ),
    path(
        "gestion/programmation/<int:pk>/evaluation/",
        staff.EvaluationUpdateView.as_view(),
        name="staff_programme_evaluation",
    ),
    path(
        "gestion/programmation/<int:pk>/lignes/nouvelle/",
        staff.LineCreateView.as_view(),
        name="staff_line_create",
    ),
    path(
        "gestion/programmation/lignes/<int:pk>/modifier/",
        staff.LineUpdateView.as_view(),
        name="staff_line_update",
    ),
    path(
        "gestion/programmation/lignes/<int:pk>/supprimer/",
        staff.LineDeleteView.as_view(),
        name="staff_line_delete",
    ),
    path(
        "gestion/programmation/lignes/<int:pk>/indicateurs/",
        staff.LineIndicatorsView.as_view(),
        name="staff_line_indicators",
    ),
    path(
        "gestion/programmation/indicateurs/<int:pk>/modifier/",
        staff.IndicatorUpdateView.as_view(),
        name="staff_indicator_update",
    ),
    path(
        "gestion/programmation/indicateurs/<int:pk>/supprimer/",
        staff.IndicatorDeleteView.as_view(),
        name="staff_indicator_delete",
    ),
    # Staff: development tools.
    path("gestion/outils/", staff.ToolListView.as_view(), name="staff_tool_list"),
    path("gestion/outils/nouveau/", staff.ToolCreateView.as_view(), name="staff_tool_create"),
    path("gestion/outils/<int:pk>/", staff.ToolDetailView.as_view(), name="staff_tool_detail"),
    path(
        "gestion/outils/<int:pk>/modifier/",
        staff.ToolUpdateView.as_view(),
        name="staff_tool_update",
    ),
    path(
        "gestion/outils/<int:tool_pk>/dotations/nouvelle/",
        staff.EndowmentFormView.as_view(),
        name="staff_endowment_create",
    ),
    path(
        "gestion/outils/dotations/<int:pk>/modifier/",
        staff.EndowmentFormView.as_view(),
        name="staff_endowment_update",
    ),
    path(
        "gestion/outils/dotations/<int:pk>/supprimer/",
        staff.EndowmentDeleteView.as_view(),
        name="staff_endowment_delete",
    ),
    path(
        "gestion/outils/<int:tool_pk>/accompagnements/nouveau/",
        staff.SupportFormView.as_view(),
        name="staff_support_create",
    ),
    path(
        "gestion/outils/accompagnements/<int:pk>/modifier/",
        staff.SupportFormView.as_view(),
        name="staff_support_update",
    ),
    path(
        "gestion/outils/accompagnements/<int:pk>/supprimer/",
        staff.SupportDeleteView.as_view(),
        name="staff_support_delete",
    ),
]
