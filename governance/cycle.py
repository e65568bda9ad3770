"""The yearly cycle of the committee: which of the four key moments are scheduled, held, missing."""

from django.utils.translation import pgettext_lazy

from .models import COLLEGE_SEATS, KEY_MOMENTS, College, Mandate, Meeting, MeetingStatus

SCHEDULED = "scheduled"
HELD = "held"
MISSING = "missing"
STATE_LABELS = {
    SCHEDULED: pgettext_lazy("key moment", "Scheduled"),
    HELD: pgettext_lazy("key moment", "Held"),
    MISSING: pgettext_lazy("key moment", "Missing"),
}


def year_cycle(year: int) -> list[dict]:
    """One row per key moment: its state this year and the meetings behind it (one query)."""
    meetings = list(Meeting.objects.filter(date__year=year).order_by("date"))
    rows = []
    for moment in KEY_MOMENTS:
        found = [meeting for meeting in meetings if meeting.key_moment == moment]
        if any(meeting.is_held for meeting in found):
            state = HELD
        elif any(
            meeting.status in {MeetingStatus.PLANNED, MeetingStatus.CONVENED} for meeting in found
        ):
            state = SCHEDULED
        else:
            state = MISSING
        rows.append(
            {
                "moment": moment,
                "label": moment.label,
                "state": state,
                "state_label": STATE_LABELS[state],
                "meetings": found,
            }
        )
    return rows


def seat_counts(day) -> list[dict]:
    """Holders per college and category against the quotas of the seed (two queries)."""
    counts: dict[tuple[int, str], int] = {}
    for college_id, category in (
        Mandate.objects.active(day).holders().values_list("college_id", "category")
    ):
        counts[(college_id, category)] = counts.get((college_id, category), 0) + 1
    rows = []
    for college in College.objects.all():
        for category, quota in COLLEGE_SEATS.get(college.code, {}).items():
            rows.append(
                {
                    "college": college,
                    "category": category.label,
                    "quota": quota,
                    "holders": counts.get((college.pk, category.value), 0),
                }
            )
    return rows
