"""The decision register: every opinion with its date, item, tallies per college, conflicts."""

from django.utils.translation import gettext as _

from .models import College


def table(opinions) -> tuple[list[str], list[list]]:
    """Headers and rows of the register (opinions from ``Opinion.objects.for_register()``)."""
    colleges = list(College.objects.all())
    headers = [_("Date"), _("Meeting"), _("Item"), _("Object"), _("Opinion"), _("Text")]
    for college in colleges:
        headers += [
            _("%(college)s: for") % {"college": college.name},
            _("%(college)s: against") % {"college": college.name},
            _("%(college)s: abstention") % {"college": college.name},
        ]
    headers.append(_("Abstained for a conflict of interest"))
    rows = []
    for opinion in opinions:
        item = opinion.item
        tallies = {row["college"].pk: row for row in opinion.tallies()}
        row = [
            item.meeting.date,
            item.meeting.display_title,
            str(item),
            item.object_label or (str(item.orientation) if item.orientation_id else ""),
            opinion.get_outcome_display(),
            opinion.text,
        ]
        for college in colleges:
            tally = tallies.get(college.pk, {"for": 0, "against": 0, "abstention": 0})
            row += [tally["for"], tally["against"], tally["abstention"]]
        row.append(", ".join(str(vote.mandate.person) for vote in opinion.conflicted_votes()))
        rows.append(row)
    return headers, rows
