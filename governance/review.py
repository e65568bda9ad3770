"""What the programme app shows about the committee (see programme/review.py for the format)."""

from django.db.models import Prefetch
from django.utils import timezone

from .models import Mandate, Opinion, Vote


def committee_review_for_programme(programme) -> dict:
    """Composition by college on the programme's date, and the committee's recorded opinion."""
    opinion = (
        Opinion.objects.filter(item__programme=programme, item__is_evaluation=False)
        .select_related("item__meeting")
        .prefetch_related(
            Prefetch(
                "votes", queryset=Vote.objects.select_related("mandate__college", "mandate__person")
            )
        )
        .order_by("-item__meeting__date")
        .first()
    )
    if opinion is not None:
        day = opinion.item.meeting.date
    else:
        day = timezone.localtime(programme.created_at).date() if programme.created_at else None
        day = day or timezone.localdate()
    colleges: dict[int, dict] = {}
    mandates = (
        Mandate.objects.active(day)
        .with_people()
        .order_by("college__number", "category", "kind", "person__last_name")
    )
    for mandate in mandates:
        row = colleges.setdefault(
            mandate.college.number, {"name": mandate.college.name, "members": []}
        )
        row["members"].append(
            {
                "name": str(mandate.person),
                "organisation": str(mandate.organisation or ""),
                "kind": str(mandate.get_kind_display()),
            }
        )
    return {
        "colleges": [colleges[number] for number in sorted(colleges)],
        "opinion": None
        if opinion is None
        else {
            "date": day,
            "outcome": str(opinion.get_outcome_display()),
            "text": opinion.text,
            "tallies": [
                {
                    "college": row["college"].name,
                    "for": row["for"],
                    "against": row["against"],
                    "abstention": row["abstention"],
                }
                for row in opinion.tallies()
            ],
            "conflicts": [str(vote.mandate.person) for vote in opinion.conflicted_votes()],
        },
    }
