"""What a Transaction History description says about its contract.

Upwork writes descriptions for people, not programs, and the wording has changed over the years.
The shapes seen in freelancers' exports (and handled here):

* hourly:  ``Invoice for 05/27/2024-06/02/2024 - 14:20 hrs @ $18.00/hr`` (no title at all: the
  client column is then the only handle) or ``Invoice for 01/01/2024-01/07/2024 - Site fixes``
* fixed:   ``Invoice for Milestone 1 - Logo design``, ``Milestone 2: Logo design``,
  ``Invoice for First draft - Logo design`` (milestone name, then the contract title), and
  ``Invoice for Logo design: Milestone 1 - First draft`` (the contract title, then the milestone's)
* bonus:   ``Bonus - Logo design``, ``Project Bonus - Ref ID 99``
* refunds: ``Refund - Ref ID 701123340``, ``Refund for Logo design``
* fees:    ``Service Fee for Hourly - Ref ID 701123340``, ``VAT (KE) - Service Fee - Ref ID ...``
* any of them may carry ``Contract ID 12345678`` or a trailing ``(12345678)``.

Nothing here decides whether a row is an earning: that is the row type's job (see `upwork_csv`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MAX_TITLE = 200  # scoring.model.Text

_CONTRACT_ID = re.compile(r"\bcontract\s*(?:id|#|no\.?)?\s*[:#]?\s*(\d{5,12})\b", re.IGNORECASE)
_TRAILING_ID = re.compile(r"\s*\((\d{5,12})\)\s*$")
_REF = re.compile(r"(?:\s*[-–:,]\s*|\s+|^)(?:for\s+)?ref(?:erence)?\.?\s*id\s*[:#]?\s*(\d+)\b", re.IGNORECASE)
_PERIOD = re.compile(r"^(?:invoice\s+for\s+)?(\d{1,2}/\d{1,2}/\d{4})\s*-\s*(\d{1,2}/\d{1,2}/\d{4})\s*(.*)$", re.I)
_HOURS = re.compile(r"(?:^|\s*[-–]\s*|\s+)\d+:\d{2}\s*hrs?\b.*$", re.IGNORECASE)
_LEADING = re.compile(
    r"^(?:invoice\s+for|payment\s+for|refund\s+for|refund|project\s+bonus|bonus\s+payment|bonus\s+for|bonus)\b"
    r"\s*[-–:]?\s*",
    re.IGNORECASE,
)
_MILESTONE = re.compile(r"^(?:milestone|ms)\s*#?\s*\d+\s*(?:[-–:]\s*|\s+)", re.IGNORECASE)
_TITLE_THEN_MILESTONE = re.compile(r"^(?P<title>.+?)\s*:\s*(?:milestone|ms)\s*#?\s*\d+\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s+[-–]\s+")
_EDGES = " -–:,;."


@dataclass(frozen=True, slots=True)
class Described:
    """The contract clues in one description; every part may be missing."""

    title: str | None = None
    upwork_id: str | None = None
    refers_to: str | None = None  # the Ref ID of the row a fee or refund is about
    period_start: date | None = None
    period_end: date | None = None


def _us_date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        return None


def _clean(text: str) -> str | None:
    text = text.strip(_EDGES + " ")
    if not text:
        return None
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def _title_of(rest: str, fixed_price: bool) -> str | None:
    """The contract title in what is left once ids, periods and hours are gone."""
    rest = _LEADING.sub("", rest, count=1)
    if match := _TITLE_THEN_MILESTONE.match(rest):
        # "Logo design: Milestone 1 - First draft": the contract's title, then the milestone's name.
        return _clean(match.group("title"))
    rest = _MILESTONE.sub("", rest, count=1)
    parts = _SEPARATOR.split(rest, maxsplit=1)
    if len(parts) == 2 and fixed_price:
        # "First draft - Logo design": the milestone's name, then the contract's title.
        return _clean(parts[1])
    return _clean(rest)


def describe(description: str, *, fixed_price: bool = False) -> Described:
    """Pull the contract id, the referenced Ref ID, an hourly period and the title out of a description.

    `fixed_price` says the row is a milestone payment, whose description names the milestone first.
    """
    text = " ".join(description.split())
    upwork_id = None
    if match := _CONTRACT_ID.search(text):
        upwork_id = match.group(1)
        text = (text[: match.start()] + text[match.end() :]).strip()
    elif match := _TRAILING_ID.search(text):
        upwork_id = match.group(1)
        text = text[: match.start()]
    refers_to = None
    if match := _REF.search(text):
        refers_to = match.group(1)
        text = (text[: match.start()] + text[match.end() :]).strip()
    period_start = period_end = None
    if match := _PERIOD.match(text):
        period_start, period_end = _us_date(match.group(1)), _us_date(match.group(2))
        text = match.group(3)
        fixed_price = False
    text = _HOURS.sub("", text).strip()
    return Described(_title_of(text, fixed_price), upwork_id, refers_to, period_start, period_end)
