from django.urls import path

from . import views, views_staff

app_name = "programme"

urlpatterns = [
    path("plan/", views.plan_detail, name="plan"),
    # The annual programme, public (published) or by role.
    path("programmation/", views.programme_index, name="programme_index"),
    path("programmation/<int:year>/", views.programme_detail, name="programme_detail"),
    path("programmation/<int:year>/pdf/", views.programme_pdf, name="programme_pdf"),
    path("programmation/<int:year>/xlsx/", views.programme_xlsx, name="programme_xlsx"),
    path(
        "programmation/<int:year>/evaluation/",
        views.programme_evaluation,
        name="programme_evaluation",
    ),
    path(
        "programmation/<int:year>/evaluation/pdf/",
        views.programme_evaluation_pdf,
        name="programme_evaluation_pdf",
    ),
    # Development tools (orientation 2), public.
    path("outils/", views.tool_list, name="tool_list"),
    path("outils/<slug:slug>/", views.tool_detail, name="tool_detail"),
    # Staff: annual programmes.
    path(
        "gestion/programmation/",
        views_staff.ProgrammeListView.as_view(),
        name="staff_programme_list",
    ),
    path(
        "gestion/programmation/nouvelle/",
        views_staff.ProgrammeCreateView.as_view(),
        name="staff_programme_create",
    ),
    path(
        "gestion/programmation/copier/",
        views_staff.ProgrammeCopyView.as_view(),
        name="staff_programme_copy",
    ),
    path(
        "gestion/programmation/<int:pk>/",
        views_staff.ProgrammeDetailView.as_view(),
        name="staff_programme_detail",
    ),
    path(
        "gestion/programmation/<int:pk>/modifier/",
        views_staff.ProgrammeUpdateView.as_view(),
        name="staff_programme_update",
    ),
    path(
        "gestion/programmation/<int:pk>/etat/",
        views_staff.ProgrammeTransitionView.as_view(),
        name="staff_programme_transition",
    ),
    path(
        "gestion/programmation/<int:pk>/nouvelle-version/",
        views_staff.ProgrammeNewVersionView.as_view(),
        name="staff_programme_new_version",
    ),
    path(
        "gestion/programmation/<int:pk>/evaluation/",
        views_staff.EvaluationUpdateView.as_view(),
        name="staff_programme_evaluation",
    ),
    path(
        "gestion/programmation/<int:pk>/lignes/nouvelle/",
        views_staff.LineCreateView.as_view(),
        name="staff_line_create",
    ),
    path(
        "gestion/programmation/lignes/<int:pk>/modifier/",
        views_staff.LineUpdateView.as_view(),
        name="staff_line_update",
    ),
    path(
        "gestion/programmation/lignes/<int:pk>/supprimer/",
        views_staff.LineDeleteView.as_view(),
        name="staff_line_delete",
    ),
    path(
        "gestion/programmation/lignes/<int:pk>/indicateurs/",
        views_staff.LineIndicatorsView.as_view(),
        name="staff_line_indicators",
    ),
    path(
        "gestion/programmation/indicateurs/<int:pk>/modifier/",
        views_staff.IndicatorUpdateView.as_view(),
        name="staff_indicator_update",
    ),
    path(
        "gestion/programmation/indicateurs/<int:pk>/supprimer/",
        views_staff.IndicatorDeleteView.as_view(),
        name="staff_indicator_delete",
    ),
    # Staff: development tools.
    path("gestion/outils/", views_staff.ToolListView.as_view(), name="staff_tool_list"),
    path("gestion/outils/nouveau/", views_staff.ToolCreateView.as_view(), name="staff_tool_create"),
    path(
        "gestion/outils/<int:pk>/", views_staff.ToolDetailView.as_view(), name="staff_tool_detail"
    ),
    path(
        "gestion/outils/<int:pk>/modifier/",
        views_staff.ToolUpdateView.as_view(),
        name="staff_tool_update",
    ),
    path(
        "gestion/outils/<int:tool_pk>/dotations/nouvelle/",
        views_staff.EndowmentFormView.as_view(),
        name="staff_endowment_create",
    ),
    path(
        "gestion/outils/dotations/<int:pk>/modifier/",
        views_staff.EndowmentFormView.as_view(),
        name="staff_endowment_update",
    ),
    path(
        "gestion/outils/dotations/<int:pk>/supprimer/",
        views_staff.EndowmentDeleteView.as_view(),
        name="staff_endowment_delete",
    ),
    path(
        "gestion/outils/<int:tool_pk>/accompagnements/nouveau/",
        views_staff.SupportFormView.as_view(),
        name="staff_support_create",
    ),
    path(
        "gestion/outils/accompagnements/<int:pk>/modifier/",
        views_staff.SupportFormView.as_view(),
        name="staff_support_update",
    ),
    path(
        "gestion/outils/accompagnements/<int:pk>/supprimer/",
        views_staff.SupportDeleteView.as_view(),
        name="staff_support_delete",
    ),
]
