"""What the steering committee says about an annual programme, without importing governance.

The governance app registers a provider in its ``AppConfig.ready()``::

    from programme.review import register_committee_provider
    register_committee_provider(committee_review_for_programme)

A provider takes an ``AnnualProgramme`` and returns::

    {
        "colleges": [  # the committee's composition on the programme's date
            {"name": str, "members": [{"name": str, "organisation": str, "kind": str}]},
        ],
        "opinion": None or {
            "date": datetime.date,
            "outcome": str,  # translated label
            "text": str,
            "tallies": [{"college": str, "for": int, "against": int, "abstention": int}],
            "conflicts": [str],  # who abstained for a conflict of interest
        },
    }

The programme page and PDF show whatever the provider gives (nothing when none is registered).
"""

from collections.abc import Callable

CommitteeProvider = Callable[[object], dict]
_provider: list[CommitteeProvider] = []


def register_committee_provider(provider: CommitteeProvider) -> None:
    _provider[:] = [provider]


def committee_review(programme) -> dict:
    if not _provider:
        return {"colleges": [], "opinion": None}
    return _provider[0](programme)
