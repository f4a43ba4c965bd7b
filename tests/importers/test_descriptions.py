"""Contract clues in Transaction History descriptions, in the shapes freelancers' exports show."""

from __future__ import annotations

from datetime import date

import pytest

from bot.importers.descriptions import Described, describe


@pytest.mark.parametrize(
    ("text", "fixed", "expected"),
    [
        (
            "Invoice for 05/27/2024-06/02/2024 - 14:20 hrs @ $18.00/hr",
            False,
            Described(None, None, None, date(2024, 5, 27), date(2024, 6, 2)),
        ),
        (
            "Invoice for 01/01/2024-01/07/2024 - Site fixes",
            False,
            Described("Site fixes", None, None, date(2024, 1, 1), date(2024, 1, 7)),
        ),
        (
            "Invoice for 01/01/2024-01/07/2024 - Site fixes - 10:00 hrs @ $30.00/hr",
            False,
            Described("Site fixes", None, None, date(2024, 1, 1), date(2024, 1, 7)),
        ),
        ("Invoice for Milestone 1 - Logo refresh, brand kit", True, Described("Logo refresh, brand kit")),
        ("Milestone 2: Logo design", True, Described("Logo design")),
        ("Invoice for First draft - Logo design", True, Described("Logo design")),
        # the contract's title first, then the milestone's name: the title is the contract's
        ("Invoice for Consultation for YYY: Milestone 1 - Data audit", True, Described("Consultation for YYY")),
        ("Refund for Logo design: Milestone 2 - Final files", True, Described("Logo design")),
        ("Bonus - Logo design", False, Described("Logo design")),
        ("Project Bonus - Ref ID 99", False, Described(None, None, "99")),
        ("Refund - Ref ID 701123340", False, Described(None, None, "701123340")),
        ("Refund for Ref ID 701123340", False, Described(None, None, "701123340")),
        ("Refund for Logo design", False, Described("Logo design")),
        ("Invoice for Milestone 1 - Logo design (38810021)", True, Described("Logo design", "38810021")),
        ("Contract ID: 38810021 - Invoice for Milestone 1 - Logo design", True, Described("Logo design", "38810021")),
        ("", False, Described()),
    ],
)
def test_descriptions(text: str, fixed: bool, expected: Described) -> None:
    assert describe(text, fixed_price=fixed) == expected


def test_titles_are_bounded_like_the_model() -> None:
    title = describe("Bonus - " + "x" * 500).title
    assert title is not None and len(title) == 200 and title.endswith("…")
