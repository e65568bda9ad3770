"""The quorum of a committee meeting.

Rule (documented on the meeting page and in the README):

- the seats of a meeting are the holder mandates active on the meeting's date (substitutes do
  not add seats: they represent their holder);
- a seat counts when its holder is present or represented by their substitute;
- a college reaches its quorum when a strict majority of its seats count
  (``seats // 2 + 1``); a college without seats has no quorum to reach;
- the committee reaches its quorum, and may vote, when a strict majority of all its seats count.
"""

from dataclasses import dataclass, field

from .models import PRESENT_STATUSES, College, Mandate


@dataclass
class CollegeQuorum:
    college: College
    seats: int = 0
    present: int = 0

    @property
    def required(self) -> int:
        return self.seats // 2 + 1 if self.seats else 0

    @property
    def met(self) -> bool:
        return self.seats > 0 and self.present >= self.required


@dataclass
class Quorum:
    colleges: list[CollegeQuorum] = field(default_factory=list)

    @property
    def seats(self) -> int:
        return sum(row.seats for row in self.colleges)

    @property
    def present(self) -> int:
        return sum(row.present for row in self.colleges)

    @property
    def required(self) -> int:
        return self.seats // 2 + 1 if self.seats else 0

    @property
    def met(self) -> bool:
        return self.seats > 0 and self.present >= self.required


def compute(meeting) -> Quorum:
    """Seats and presences per college for ``meeting`` (three queries)."""
    rows = {college.pk: CollegeQuorum(college=college) for college in College.objects.all()}
    seat_ids = set()
    for college_id in (
        Mandate.objects.active(meeting.date).holders().values_list("college_id", "pk")
    ):
        rows[college_id[0]].seats += 1
        seat_ids.add(college_id[1])
    for college_id, mandate_id in meeting.attendances.filter(
        presence__in=PRESENT_STATUSES
    ).values_list("mandate__college_id", "mandate_id"):
        if mandate_id in seat_ids:
            rows[college_id].present += 1
    return Quorum(colleges=list(rows.values()))
