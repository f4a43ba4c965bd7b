"""Extraction of the facts a question states: durations, money, stars, JSS percentages, counts, and
which of the asker's contracts it names.

Why: an answer is only as specific as the numbers it can reuse ("idle for 3 months" → the 2-month
self-close rule applies; "$300 paid" → earnings tier 2). Everything is relative to an explicit
`as_of` date (never the wall clock) so answers and tests are reproducible. Money is `Decimal`.
All regexes are linear and the input is truncated (bot.qa.normalize.MAX_QUESTION_CHARS), so the
cost is bounded whatever a user pastes.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from bot.qa.normalize import MAX_QUESTION_CHARS

DAYS_PER_MONTH = 365.25 / 12
"""Average month length, used to express day counts as (fractional) months."""

_CENT = Decimal("0.01")

# ------------------------------------------------------------------------------------------ models


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Duration(_Frozen):
    """A span of time the question states ("for 3 months", "since November")."""

    text: str
    """The words it came from, as written."""
    days: int
    """Length in days (for "since X": from X to `as_of`)."""
    months: float
    """Length in months (exact for month/year units, days / 30.44 otherwise)."""
    since: date
    """Start of the span counted back from `as_of` (the named date for "since X")."""
    approximate: bool = False
    """True for vague quantities ("a few weeks", "several months")."""


class Amount(_Frozen):
    """A sum of money in US dollars."""

    text: str
    value: Decimal


class StarRating(_Frozen):
    """A star rating the question mentions (1-5, quarter stars allowed)."""

    text: str
    value: float


class Count(_Frozen):
    """A counted thing: "6 projects", "two requests", "asked twice"."""

    text: str
    n: int
    noun: str
    """Singular noun: project, job, contract, client, request, review, time, ..."""


class Facts(_Frozen):
    """Everything `extract_facts` found, each list in order of appearance."""

    durations: list[Duration] = []
    amounts: list[Amount] = []
    stars: list[StarRating] = []
    percentages: list[float] = []
    """Percent values 0-100 in order (usually JSS values: "94%", "from 100 to 89")."""
    jss_from: float | None = None
    """Earlier JSS when the question states a change ("from 100 to 89", "98% -> 91%")."""
    jss_to: float | None = None
    """Later/current JSS of such a change, or the value after "dropped to"/"fell to"."""
    jss_now: float | None = None
    """The JSS the asker tells as theirs now: a figure named as the JSS ("my jss is still 93", "job success is
    100%"), else the later figure of a change told as one ("from 98 to 91", "dropped to 85"); not a figure merely
    beside change words ("90%+ JSS, 100% profile, now...")."""
    counts: list[Count] = []
    dates: list[date] = []
    """Explicit calendar dates that are not the start of a "since" span."""
    ended_on: date | None = None
    """The day a contract ended, told with its day beside the word ("the contract ended on Jan 5", "contract end 4
    february", "client closed it yesterday"): where a count of days after the end (feedback, reply) starts."""
    submitted_on: date | None = None
    """The day a milestone was submitted ("I submitted it on Feb 2"): where the auto-release count starts."""
    idle_days: int | None = None
    """Days since a contract last saw activity, told by its day ("Last activity was Nov 30", "last payment Oct 30
    2025"): how long it has been idle when no span is told."""
    last_work_on: date | None = None
    """The month the asker's last work ended ("my last contract ended in December 2023", "haven't worked since August
    2024"), its first day when only the month is told; where the 24 months a JSS needs eligible jobs in run out."""
    due_on: date | None = None
    """The day a fixed-price milestone was due ("milestone 3 was due Nov 20", "due date was 1 December"), on or before
    the day asked: where an idle funded contract's days to dormancy start (C-FP-DORMANT)."""
    requested_on: date | None = None
    """The day an escrow refund request came ("I got an escrow refund request for $350 on 10 February"): where the
    days to answer it start."""
    months_since_latest: float | None = None
    """Months from the latest point in time the question names (an explicit date, else the end of a year told alone:
    "active 2019 to 2023") to the day it was asked; None when it names none. "My last contract ended in December
    2023" asked in February 2026: 26 months."""


class ContractMatch(_Frozen):
    """A contract from the asker's ledger that the question seems to name."""

    contract_id: str
    title: str
    client: str
    field: Literal["id", "title", "client"]
    """Which ledger field matched best."""
    matched_text: str
    """The words of the question that matched."""
    confidence: float
    """1.0 for an exact word-boundary match; lower for fuzzy or partial matches."""


# ------------------------------------------------------------------------------------------ numbers

_SMALL_NUMBERS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_VAGUE: dict[str, float] = {
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 3,
    "a dozen": 12,
    "dozen": 12,
    "a": 1,
    "an": 1,
    "half a": 0.5,
    "half an": 0.5,
}
_WORD_NUMBER = (
    r"(?:"
    + "|".join(sorted(_TENS, key=len, reverse=True))
    + r")(?:[\s-]+(?:"
    + "|".join(k for k in _SMALL_NUMBERS if _SMALL_NUMBERS[k] < 10 and k != "zero")
    + r"))?"
    + r"|"
    + "|".join(sorted(_SMALL_NUMBERS, key=len, reverse=True))
)
_VAGUE_RE = "|".join(re.escape(k) for k in sorted(_VAGUE, key=len, reverse=True))
_NUMBER = rf"(?:\d+(?:\.\d+)?|{_WORD_NUMBER}|{_VAGUE_RE})"


def _number_value(text: str) -> tuple[float, bool] | None:
    """Value of a numeral or number word, and whether it is vague ("a few"). None if not a number."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text), False
    if text in _SMALL_NUMBERS:
        return float(_SMALL_NUMBERS[text]), False
    if text in _VAGUE:
        return _VAGUE[text], text not in ("a", "an", "half a", "half an", "a dozen", "dozen")
    parts = re.split(r"[\s-]+", text)
    if parts and parts[0] in _TENS:
        unit = _SMALL_NUMBERS.get(parts[1], 0) if len(parts) > 1 else 0
        return float(_TENS[parts[0]] + unit), False
    return None


# ------------------------------------------------------------------------------------------ dates

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _i:
        _MONTHS[_name.lower()] = _i
        _MONTHS[_name[:3].lower()] = _i
_MONTHS["sept"] = 9
_MONTH_RE = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"


def _shift_months(day: date, months: int) -> date:
    """`day` moved back by `months` calendar months, clamping the day of month (Mar 31 - 1 → Feb 28)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _months_between(start: date, end: date) -> float:
    return round((end - start).days / DAYS_PER_MONTH, 2)


def _resolve_month_day(month: int, day: int | None, year: int | None, as_of: date) -> date | None:
    """The date named by "November", "Nov 10", "Nov 2025": with no year, the most recent one <= as_of."""
    day_value = day or 1
    if year is not None:
        try:
            return date(year, month, day_value)
        except ValueError:
            return None
    for candidate_year in (as_of.year, as_of.year - 1):
        try:
            candidate = date(candidate_year, month, day_value)
        except ValueError:
            continue
        if candidate <= as_of:
            return candidate
    return None


_ISO_DATE = r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
_NAMED_DATE = (
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_RE})"
    rf"|(?P<m2>{_MONTH_RE})\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
    rf"|(?P<m3>{_MONTH_RE}))"
    r"(?:,?\s*(?P<y>(?:19|20)\d{2}))?"
)
_SINCE_RE = re.compile(
    rf"\bsince\s+(?:(?:early|mid|late|the\s+(?:start|beginning|end)\s+of)\s+)?(?:last\s+)?"
    rf"(?:{_ISO_DATE}|{_NAMED_DATE}|(?P<yonly>(?:19|20)\d{{2}})\b"
    rf"|(?P<rel>last|past)\s+(?P<relunit>week|month|year)|(?P<ago>{_NUMBER})\s+(?P<agounit>days?|weeks?|months?|years?)\s+ago)",
    re.IGNORECASE,
)
_DATE_RE = re.compile(rf"\b(?:{_ISO_DATE}|(?:on|in|from|last|back in)\s+{_NAMED_DATE})\b", re.IGNORECASE)

_UNIT_DAYS = {"day": 1, "week": 7}
_UNIT_MONTHS = {"month": 1, "year": 12}
_DURATION_RE = re.compile(
    rf"\b(?P<num>{_NUMBER})(?:\s+and\s+a\s+half)?[\s-]*(?P<plus>\+)?\s*"
    r"(?P<unit>years?|yrs?|months?|mos?|weeks?|wks?|days?)\b(?P<half>\s+and\s+a\s+half)?"
    r"(?!\s*(?:window|average|score|jss|rule|trending|mark)\b)",
    re.IGNORECASE,
)
_HALF_YEAR_RE = re.compile(r"\bhalf\s+a\s+year\b", re.IGNORECASE)


def _unit_key(unit: str) -> str:
    unit = unit.lower()
    if unit.startswith(("y",)):
        return "year"
    if unit.startswith("mo"):
        return "month"
    if unit.startswith("w"):
        return "week"
    return "day"


_UNIT_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_JOINED_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)", re.IGNORECASE)
"""What joins the parts of one span: "2 years and 1 month", "1 year, 3 months"."""


def _span_since(text: str, since: date, as_of: date) -> Duration:
    """The span from `since` to `as_of` ("since March", "2 years and 1 month ago")."""
    return Duration(text=text, days=(as_of - since).days, months=_months_between(since, as_of), since=since)


def _duration(text: str, quantity: float, unit: str, as_of: date, approximate: bool) -> Duration:
    key = _unit_key(unit)
    if key in _UNIT_MONTHS:
        months = quantity * _UNIT_MONTHS[key]
        whole = int(months)
        since = _shift_months(as_of, whole) - timedelta(days=round((months - whole) * DAYS_PER_MONTH))
        return Duration(
            text=text, days=(as_of - since).days, months=round(months, 2), since=since, approximate=approximate
        )
    days = round(quantity * _UNIT_DAYS[key])
    since = as_of - timedelta(days=days)
    return Duration(text=text, days=days, months=round(days / DAYS_PER_MONTH, 2), since=since, approximate=approximate)


def _date_from_match(match: re.Match[str], as_of: date) -> date | None:
    groups = match.groupdict()
    if groups.get("iy"):
        try:
            return date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
        except ValueError:
            return None
    month_word = groups.get("m1") or groups.get("m2") or groups.get("m3")
    if month_word:
        month = _MONTHS[month_word.lower().rstrip(".")]
        day_text = groups.get("d1") or groups.get("d2")
        year = int(groups["y"]) if groups.get("y") else None
        return _resolve_month_day(month, int(day_text) if day_text else None, year, as_of)
    return None


def extract_durations(text: str, as_of: date) -> tuple[list[Duration], list[tuple[int, int]]]:
    """Durations and the character spans they used (so numbers inside them are not counted twice)."""
    found: list[tuple[int, Duration]] = []
    spans: list[tuple[int, int]] = []
    for match in _SINCE_RE.finditer(text):
        groups = match.groupdict()
        start: date | None
        if groups.get("yonly"):
            start = date(int(groups["yonly"]), 1, 1)
        elif groups.get("rel"):
            unit = groups["relunit"].lower()
            start = as_of - timedelta(days=7) if unit == "week" else _shift_months(as_of, _UNIT_MONTHS[unit])
        elif groups.get("ago"):
            parsed = _number_value(groups["ago"])
            if parsed is None:
                continue
            start = _duration(match.group(0), parsed[0], groups["agounit"], as_of, parsed[1]).since
        else:
            start = _date_from_match(match, as_of)
        if start is None or start > as_of:
            continue
        found.append((match.start(), _span_since(match.group(0), start, as_of)))
        spans.append(match.span())
    joined: tuple[int, int, str] | None = None  # the last span of _DURATION_RE: start, end, unit
    for match in _DURATION_RE.finditer(text):
        if any(s <= match.start() < e for s, e in spans):
            continue
        parsed = _number_value(match.group("num"))
        if parsed is None:
            continue
        quantity, vague = parsed
        if match.group("half") or "and a half" in match.group(0).lower():
            quantity += 0.5
        if quantity <= 0 or quantity > 1000:
            continue
        duration = _duration(match.group(0), quantity, match.group("unit"), as_of, vague or bool(match.group("plus")))
        if joined is not None and _JOINED_RE.fullmatch(text, joined[1], match.start()):
            previous_unit, whole = joined[2], found[-1][1]
            if _UNIT_RANK[_unit_key(match.group("unit"))] < _UNIT_RANK[previous_unit] and not duration.approximate:
                # "2 years and 1 month ago": one span, counted back from the start of its larger part
                since = whole.since - (as_of - duration.since)
                found[-1] = (found[-1][0], _span_since(text[joined[0] : match.end()], since, as_of))
                spans[-1] = (joined[0], match.end())
                joined = (joined[0], match.end(), _unit_key(match.group("unit")))
                continue
        found.append((match.start(), duration))
        spans.append(match.span())
        joined = None if duration.approximate else (match.start(), match.end(), _unit_key(match.group("unit")))
    for match in _HALF_YEAR_RE.finditer(text):
        if not any(s <= match.start() < e for s, e in spans):
            found.append((match.start(), _duration(match.group(0), 6, "months", as_of, False)))
            spans.append(match.span())
    found.sort(key=lambda item: item[0])
    return [duration for _, duration in found], spans


def extract_dates(text: str, as_of: date, skip: Sequence[tuple[int, int]] = ()) -> list[date]:
    """Calendar dates mentioned outside "since" spans ("on 2025-03-02", "last March")."""
    out: list[date] = []
    for match in _DATE_RE.finditer(text):
        if any(s <= match.start() < e for s, e in skip):
            continue
        found = _date_from_match(match, as_of)
        if found is not None and found not in out:
            out.append(found)
    return out


# ------------------------------------------------------------------------------------------ money

_AMOUNT_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"
_AMOUNT_RE = re.compile(
    rf"(?:(?<![\w$])(?:us\s?)?\$\s?{_AMOUNT_NUM}\s?(?P<mult>k|m|thousand|million)?\b"
    rf"|(?<![\w.,]){_AMOUNT_NUM.replace('num', 'num2')}\s?(?P<mult2>k|thousand)?\s?"
    rf"(?:usd|dollars?|bucks|\$)(?!\w)"
    rf"|(?<![\w.,$]){_AMOUNT_NUM.replace('num', 'num3')}\s?(?P<mult3>k)\b(?!\s*(?:stars?|views|followers))"
    rf"|\busd\s?{_AMOUNT_NUM.replace('num', 'num4')}\b)",
    re.IGNORECASE,
)
_MULTIPLIERS = {"k": 1000, "thousand": 1000, "m": 1_000_000, "million": 1_000_000}


def extract_amounts(text: str) -> tuple[list[Amount], list[tuple[int, int]]]:
    """Dollar amounts as Decimal cents ("$1,200.50", "300 dollars", "1.2k", "$5k") and their spans."""
    out: list[Amount] = []
    spans: list[tuple[int, int]] = []
    for match in _AMOUNT_RE.finditer(text):
        groups = match.groupdict()
        raw = groups["num"] or groups["num2"] or groups["num3"] or groups["num4"]
        mult = (groups["mult"] or groups["mult2"] or groups["mult3"] or "").lower()
        try:
            value = Decimal(raw.replace(",", "")) * _MULTIPLIERS.get(mult, 1)
        except InvalidOperation:
            continue
        out.append(Amount(text=match.group(0).strip(), value=value.quantize(_CENT)))
        spans.append(match.span())
    return out, spans


# ------------------------------------------------------------------------------------------ stars

_STAR_WORD = r"one|two|three|four|five"
_STAR_RE = re.compile(
    rf"(?<![\w.$])(?P<num>[0-5](?:\.\d{{1,2}})?|{_STAR_WORD})\s*(?:-\s*)?(?:stars?\b|★|⭐|\*(?!\*))"
    rf"|(?P<glyphs>[★⭐]{{1,5}})(?!\s*\d)"
    rf"|(?<![\w.$])(?P<frac>[0-5](?:\.\d{{1,2}})?)\s*(?:/|out\s+of)\s*5\b(?!\s*\d)",
    re.IGNORECASE,
)


def extract_stars(text: str) -> tuple[list[StarRating], list[tuple[int, int]]]:
    """Star ratings between 0 and 5: "3 stars", "3★", "3.75-star", "four star", "4/5"."""
    out: list[StarRating] = []
    spans: list[tuple[int, int]] = []
    for match in _STAR_RE.finditer(text):
        if match.group("glyphs"):
            value = float(len(match.group("glyphs")))
        else:
            raw = (match.group("num") or match.group("frac")).lower()
            value = float(_SMALL_NUMBERS.get(raw, 0)) if raw.isalpha() else float(raw)
        if 0 < value <= 5:
            out.append(StarRating(text=match.group(0).strip(), value=value))
            spans.append(match.span())
    return out, spans


# ------------------------------------------------------------------------------------------ percents

_PCT = r"(?P<{name}>100(?:\.0+)?|\d{{1,2}}(?:\.\d+)?)"
_PERCENT_RE = re.compile(r"(?<![\w.])" + _PCT.format(name="p") + r"\s?(?:%|percent\b|pct\b)", re.IGNORECASE)
_CHANGE_RE = re.compile(
    r"\bfrom\s+(?:a\s+|an\s+)?" + _PCT.format(name="a") + r"\s?%?\s+(?:down\s+|up\s+|all\s+the\s+way\s+)?"
    r"(?:to|->|→|=>|into)\s+(?:a\s+|an\s+)?" + _PCT.format(name="b") + r"(?!\s*(?:stars?|\$|days?|weeks?|months?))"
    r"|(?<![\w.])"
    + _PCT.format(name="c")
    + r"\s?%?\s*(?:->|→|=>|>)\s*"
    + _PCT.format(name="d")
    + r"|(?<![\w.])"
    + _PCT.format(name="e")
    + r"\s?%\s+to\s+"
    + _PCT.format(name="f")
    + r"\s?%",
    re.IGNORECASE,
)
_TO_RE = re.compile(
    r"\b(?:dropped|drop|fell|fallen|falls?|went\s+down|gone\s+down|decreased|dipped|tanked|down|plummeted|"
    r"slipped|now\s+(?:at|on)|i\s*am\s+at|i'?m\s+at|currently(?:\s+at)?|sitting\s+at|stuck\s+at)\s+(?:to\s+)?"
    + _PCT.format(name="v")
    + r"(?!\s*(?:stars?|\$|days?|weeks?|months?|years?|jobs?|contracts?|clients?|am|pm))\b",
    re.IGNORECASE,
)
_CHANGE_WORDS_RE = re.compile(
    r"\b(?:then|now|dropped|drop|fell|fallen|went|gone|decreased|dipped|tanked|down|up|rose|climbed|back)\b",
    re.IGNORECASE,
)
_JSS_VALUE_RE = re.compile(
    r"\b(?:jss|job\s+success(?:\s+score)?|score)\s+(?:is\s+|of\s+|at\s+|was\s+|=\s*|:\s*)?"
    # "my jss is still 93", "JSS is currently at 91", "score was around 88"
    r"(?:(?:now|only|still|currently|around|about|back)\s+(?:at\s+|to\s+)?)?"
    + _PCT.format(name="v")
    + r"(?!\s*(?:stars?|\$|days?|weeks?|months?|years?|jobs?|contracts?|clients?))\b",
    re.IGNORECASE,
)


class _Percentages(NamedTuple):
    values: list[float]
    jss_from: float | None
    jss_to: float | None
    jss_now: float | None
    spans: list[tuple[int, int]]


def extract_percentages(text: str) -> _Percentages:
    """JSS-like percentages in order, the from/to of a stated change, the JSS told as the asker's own now (see
    `Facts.jss_now`), and the spans used."""
    found: list[tuple[int, float]] = []
    spans: list[tuple[int, int]] = []
    jss_from: float | None = None
    jss_to: float | None = None
    named: float | None = None

    def add(position: int, raw: str, span: tuple[int, int]) -> None:
        if any(s <= position < e for s, e in spans):
            return
        found.append((position, float(raw)))
        spans.append(span)

    for match in _CHANGE_RE.finditer(text):
        first = match.group("a") or match.group("c") or match.group("e")
        second = match.group("b") or match.group("d") or match.group("f")
        first_name = "a" if match.group("a") else "c" if match.group("c") else "e"
        second_name = {"a": "b", "c": "d", "e": "f"}[first_name]
        if jss_from is None:
            jss_from, jss_to = float(first), float(second)
        found.append((match.start(first_name), float(first)))
        found.append((match.start(second_name), float(second)))
        spans.append(match.span())
    for match in _PERCENT_RE.finditer(text):
        add(match.start(), match.group("p"), match.span())
    for regex in (_TO_RE, _JSS_VALUE_RE):
        for match in regex.finditer(text):
            value = float(match.group("v"))
            if regex is _TO_RE and value < 40 and "%" not in text[match.end("v") : match.end("v") + 2]:
                continue  # "down to 3" is rarely a JSS; keep only plausible scores without a % sign
            if regex is _TO_RE and jss_to is None:
                jss_to = value
            if regex is _JSS_VALUE_RE:
                named = value
            add(match.start("v"), match.group("v"), (match.start("v"), match.end("v") + 1))
    found.sort(key=lambda item: item[0])
    values = [value for _, value in found]
    told = named if named is not None else jss_to  # before the loose reading below: "100% profile" is no score
    if jss_from is None and len(values) >= 2 and _CHANGE_WORDS_RE.search(text):
        jss_from, jss_to = values[0], values[-1]  # "I had 100%, then 85%, now 83%"
    return _Percentages(values, jss_from, jss_to, told, spans)


# ------------------------------------------------------------------------------------------ counts

_COUNT_NOUNS: dict[str, str] = {
    "project": "project",
    "job": "job",
    "gig": "job",
    "contract": "contract",
    "client": "client",
    "request": "request",
    "review": "review",
    "rating": "review",
    "feedback": "review",
    "message": "message",
    "reminder": "reminder",
    "milestone": "milestone",
    "offer": "offer",
    "proposal": "proposal",
    "dispute": "dispute",
    "refund": "refund",
    "email": "message",
    "time": "time",
    "customer": "client",
    "order": "job",
    "task": "job",
}
_ADJECTIVES = (
    r"more|other|old|older|open|active|inactive|closed|completed|finished|small|smaller|big|bigger|large|"
    r"long-term|longterm|short|short-term|fixed-price|fixed|hourly|different|unique|new|previous|dormant|stale|"
    r"idle|separate|paid|unpaid|good|bad|negative|positive|successful|5-star|five-star|follow-up|repeat|"
    r"ongoing|past|prior|total|more|such|of\s+these|of\s+my|of\s+them|ended|abandoned|recent|great|perfect"
)
_COUNT_RE = re.compile(
    rf"(?<![\w$.,])(?P<num>\d{{1,4}}|{_WORD_NUMBER}|a\s+couple\s+of|a\s+few|several|a\s+dozen)\+?\s+"
    rf"(?:(?:{_ADJECTIVES})\s+){{0,2}}"
    rf"(?P<noun>{'|'.join(sorted(_COUNT_NOUNS, key=len, reverse=True))})(?:s|es)?\b",
    re.IGNORECASE,
)
_TIMES_RE = re.compile(r"\b(?P<word>once|twice|thrice)\b", re.IGNORECASE)
_TIMES_VALUES = {"once": 1, "twice": 2, "thrice": 3}


def extract_counts(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[Count]:
    """Counted things ("6 projects", "two requests", "asked twice"), skipping money/star/date spans."""
    found: list[tuple[int, Count]] = []
    for match in _COUNT_RE.finditer(text):
        if any(s <= match.start() < e for s, e in skip):
            continue
        parsed = _number_value(match.group("num"))
        if parsed is None:
            continue
        noun = _COUNT_NOUNS[match.group("noun").lower()]
        if noun == "time" and parsed[0] > 20:
            continue
        found.append((match.start(), Count(text=match.group(0), n=int(parsed[0]), noun=noun)))
    for match in _TIMES_RE.finditer(text):
        if match.group("word").lower() == "once" and not re.search(
            r"\b(?:asked|requested|reminded|messaged|pinged|emailed|contacted|followed up)\b[^.?!]{0,30}$",
            text[: match.start()],
            re.IGNORECASE,
        ):
            continue  # "once" is mostly "as soon as"; count it only after an asking verb
        found.append(
            (match.start(), Count(text=match.group(0), n=_TIMES_VALUES[match.group("word").lower()], noun="time"))
        )
    found.sort(key=lambda item: item[0])
    return [count for _, count in found]


# ------------------------------------------------------------------------------------------ contracts

_GENERIC_WORDS = frozenset(
    """a an the and or of for to in on at with my our your his her their its this that job jobs work
    contract contracts project projects client clients upwork task tasks gig gigs inc ltd llc co corp
    company gmbh team hourly fixed price""".split()
)
_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_FUZZY_TOKEN_CUTOFF = 0.8
MIN_CONTRACT_CONFIDENCE = 0.6
"""Matches below this confidence are dropped: a single shared generic word is not a reference."""


def _words(text: str) -> list[str]:
    return [re.sub(r"['’]s?$", "", w) for w in _WORD_RE.findall(text.lower())]


def _phrase_confidence(target: str, question_lower: str, question_words: Sequence[str]) -> tuple[float, str]:
    """How well `target` (a title or client name) is named in the question, and the words that matched.

    Exact word-boundary phrase → 1.0. Otherwise each distinctive target word is matched against the
    question's words with difflib (typos, plurals); the confidence is the mean similarity of the
    matched words times the square root of the share matched (two of three words still count, one
    generic word of three does not), scaled by 0.9 so a fuzzy match never ties an exact one.
    """
    target_lower = target.lower().strip()
    significant = [w for w in _words(target_lower) if w not in _GENERIC_WORDS and len(w) >= 3]
    if not significant:
        return 0.0, ""  # a title like "Work" or "Project" names nothing in particular
    exact = re.search(rf"(?<!\w){re.escape(target_lower)}(?:['’]s)?(?!\w)", question_lower)
    if exact:
        return 1.0, exact.group(0)
    total = 0.0
    matched: list[str] = []
    for word in significant:
        close = difflib.get_close_matches(word, question_words, n=1, cutoff=_FUZZY_TOKEN_CUTOFF)
        if close:
            total += difflib.SequenceMatcher(None, word, close[0]).ratio()
            matched.append(close[0])
    if not matched:
        return 0.0, ""
    coverage = len(matched) / len(significant)
    return round(0.9 * (total / len(matched)) * coverage**0.5, 3), " ".join(dict.fromkeys(matched))


def match_contracts(question: str, ledger_items: Sequence[tuple[str, str, str]], limit: int = 3) -> list[ContractMatch]:
    """The ledger contracts (contract_id, title, client) the question names, best first.

    The id must appear as a whole word; title and client may match fuzzily. One result per contract
    (its best field), at most `limit`, none below MIN_CONTRACT_CONFIDENCE.
    """
    question = question[:MAX_QUESTION_CHARS]
    question_lower = question.lower()
    question_words = list(dict.fromkeys(w for w in _words(question_lower) if w not in _GENERIC_WORDS))
    results: list[ContractMatch] = []
    for contract_id, title, client in ledger_items:
        best: tuple[float, Literal["id", "title", "client"], str] = (0.0, "id", "")
        if contract_id and re.search(rf"(?<![\w-]){re.escape(contract_id.lower())}(?![\w-])", question_lower):
            best = (1.0, "id", contract_id)
        elif contract_id and re.search(r"[-_.]", contract_id):
            spaced = re.sub(r"[-_.]+", " ", contract_id.lower()).strip()
            if re.search(rf"(?<!\w){re.escape(spaced)}(?!\w)", question_lower):
                best = (0.95, "id", spaced)
        for field_name, value in (("client", client), ("title", title)):
            confidence, words = _phrase_confidence(value, question_lower, question_words)
            if confidence > best[0]:
                best = (confidence, field_name, words)  # type: ignore[assignment]
        if best[0] >= MIN_CONTRACT_CONFIDENCE:
            results.append(
                ContractMatch(
                    contract_id=contract_id,
                    title=title,
                    client=client,
                    field=best[1],
                    matched_text=best[2],
                    confidence=best[0],
                )
            )
    results.sort(key=lambda m: -m.confidence)
    return results[:limit]


# ------------------------------------------------------------------------------------------ facade


_MONTH_YEAR_RE = re.compile(
    rf"\b{_MONTH_RE}\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*)?(?:of\s+)?(?:19|20)\d\d\b", re.IGNORECASE
)
"""A month named with its year ("January 2024", "Jan 5, 2024"): its year is not told alone."""
_YEAR_ALONE_RE = re.compile(r"(?<![\d$.,])\b((?:19|20)\d\d)\b(?![.,]?\d)")
"""A year told alone ("in 2023", "2019 to 2023"); not an amount ("$2023", "2,020")."""


_EVENT_DAY_RE = re.compile(
    # "catalog order marked complete feb 3" (round 22): "complete" too
    r"\b(?:(?P<submit>submit(?:t?ed)?)|ended|end|ends|(?<!window\s)(?:closed|close|closes)|finished|completed|complete)\b"
    r"(?:\s+(?:the|my|our|this|his|her|their|it|that|final|last|first|second|third|whole|contracts?|jobs?|projects?|milestones?|work|was|were"
    r"|fixed[-\s]?price|fixed|hourly"
    r"|himself|herself|themselves|myself|\d))*?\s+(?:on\s+)?"
    rf"(?:(?P<yesterday>yesterday)|(?P<today>today)|{_ISO_DATE}"
    rf"|(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_RE})"
    rf"|(?P<m2>{_MONTH_RE})\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d))(?:,?\s*(?P<y>(?:19|20)\d{{2}}))?\b",
    re.IGNORECASE,
)


def extract_event_days(text: str, as_of: date) -> tuple[date | None, date | None]:
    """The day a contract ended and the day a milestone was submitted, each told with its day next to the word (see
    `Facts.ended_on`); a month alone ("ended in January") names no day to count from, and "10 days ago" is a span
    (`Facts.durations`), answered in the asker's own count. The first of each, on or before `as_of`."""
    ended: date | None = None
    submitted: date | None = None
    for match in _EVENT_DAY_RE.finditer(text):
        groups = match.groupdict()
        if groups["yesterday"]:
            day: date | None = as_of - timedelta(days=1)
        elif groups["today"]:
            day = as_of
        else:
            day = _date_from_match(match, as_of)
        if day is None or day > as_of:
            continue
        if groups["submit"]:
            submitted = submitted or day
        else:
            ended = ended or day
    return ended, submitted


_REQUEST_DAY_RES = (
    re.compile(
        r"\b(?:refund\s+request\w*|request(?:ed|s)?\s+(?:a\s+|an\s+(?:escrow\s+)?)?refund|asked\s+for\s+(?:a\s+)?refund)\b"
        rf"[^.?!]{{0,40}}?\b(?:on|since|dated)\s+(?:{_ISO_DATE}|{_NAMED_DATE})",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:on\s+)?(?:{_ISO_DATE}|{_NAMED_DATE})[^.?!]{{0,25}}?\b(?:refund\s+request|requested\s+(?:a\s+)?refund)\w*\b",
        re.IGNORECASE,
    ),
)
"""An escrow refund request told with its day ("got an 'escrow refund request' for $350 on 10 February", "on Feb 3 he
requested a refund", "the client requested a refund through escrow on Jan 30")."""


_IDLE_SINCE_RE = re.compile(
    r"\blast\s+(?:activity|payment|paid|message|reply|response|contact|hours?(?:\s+logged)?|invoice|work(?:ed)?|"
    r"time\s+(?:he|she|they)\s+(?:replied|paid|answered|wrote))\b[^.?!;]{0,15}?\b(?:was\s+|on\s+|in\s+|:\s*)?"
    rf"(?:{_ISO_DATE}|{_NAMED_DATE})",
    re.IGNORECASE,
)
"""The day a contract last saw activity ("Last activity was Nov 30", "last payment Oct 30 2025")."""


def _day_told(match: re.Match[str]) -> bool:
    """A date match names its day, not only a month ("Nov 30", "2026-02-10"; not "in November")."""
    return bool(match.group("d1") or match.group("d2") or match.group("iy"))


_DUE_DAY_RE = re.compile(
    r"\bdue(?:\s+date)?(?:\s+(?:of|for)\s+(?:the\s+|this\s+|that\s+|my\s+)?(?:\w+\s+)?milestone(?:\s+\d)?)?"
    rf"(?:\s*(?:was|is|were|:|-|on))*\s*(?:{_ISO_DATE}|{_NAMED_DATE})",
    re.IGNORECASE,
)
"""A milestone's due day told ("Milestone 3 was due Nov 20", "due date of milestone was 20 November", "due:
2025-11-20")."""


def extract_due_day(text: str, as_of: date) -> date | None:
    """The day a milestone was due (see `Facts.due_on`): a day and month told after "due", on or before `as_of`; a
    month alone names no day to count from, and a day still ahead is no past due date."""
    return _first_past_day(_DUE_DAY_RE.finditer(text), as_of)


def _first_past_day(matches: Iterable[re.Match[str]], as_of: date) -> date | None:
    """The first date match that names its day (`_day_told`) on or before `as_of`: a day an event happened."""
    for match in matches:
        if not _day_told(match):
            continue
        day = _date_from_match(match, as_of)
        if day is not None and day <= as_of:
            return day
    return None


_LAST_WORK_RES = (
    re.compile(
        r"\blast\s+(?:upwork\s+)?(?:contracts?|jobs?|projects?|work|gig|client)\s+(?:\w+\s+){0,2}?"
        r"(?:ended|finished|closed|completed|was|in|on|:)\s+(?:in\s+|on\s+|back\s+in\s+)?"
        rf"(?:{_ISO_DATE}|{_NAMED_DATE})",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:not|haven[’']?t|hasn[’']?t|didn[’']?t|never|no\s+work)\s+(?:\w+\s+){0,3}?(?:since|after)\s+"
        rf"(?:{_ISO_DATE}|{_NAMED_DATE})",
        re.IGNORECASE,
    ),
)
"""The month the asker's last work ended ("my last contract ended in December 2023", "haven't worked on Upwork since
August 2024")."""


def extract_last_work(text: str, as_of: date) -> date | None:
    """The day (or month's first day) the asker's last work ended (see `Facts.last_work_on`), on or before `as_of`,
    told with its year (a month alone may belong to a year told further on)."""
    for match in (m for pattern in _LAST_WORK_RES for m in pattern.finditer(text)):
        if not (match.group("y") or match.group("iy")):
            continue  # "ended January and March 2024": a month without its year may be another year's
        day = _date_from_match(match, as_of)
        if day is not None and day <= as_of:
            return day
    return None


def extract_idle_since(text: str, as_of: date) -> date | None:
    """The day a contract last saw activity (see `Facts.idle_days`): a day and month, or a month, on or before
    `as_of` (a month alone counts from its last day: the shortest it can have been idle, so no rule of thumb is met
    that the asker's own date does not meet)."""
    for match in _IDLE_SINCE_RE.finditer(text):
        day = _date_from_match(match, as_of)
        if day is None or day > as_of:
            continue
        if not _day_told(match):
            following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            day = min(following - timedelta(days=1), as_of)
        return day
    return None


def extract_request_day(text: str, as_of: date) -> date | None:
    """The day an escrow refund request came (see `Facts.requested_on`): a day and month told beside it, on or before
    `as_of`; a month alone names no day to count from."""
    return _first_past_day((m for pattern in _REQUEST_DAY_RES for m in pattern.finditer(text)), as_of)


def extract_facts(question: str, as_of: date) -> Facts:
    """All numeric and temporal facts of a question, relative to `as_of`."""
    text = question[:MAX_QUESTION_CHARS]
    amounts, money_spans = extract_amounts(text)
    stars, star_spans = extract_stars(text)
    durations, duration_spans = extract_durations(text, as_of)
    percentages, jss_from, jss_to, jss_now, pct_spans = extract_percentages(text)
    dates = extract_dates(text, as_of, skip=duration_spans)
    counts = extract_counts(text, skip=[*money_spans, *star_spans, *duration_spans, *pct_spans])
    alone = _YEAR_ALONE_RE.findall(_MONTH_YEAR_RE.sub(" ", text))  # "January 2024" is a date, not 2024's end
    latest = max([*dates, *(date(int(y), 12, 31) for y in alone)], default=None)
    ended_on, submitted_on = extract_event_days(text, as_of)
    idle_since = extract_idle_since(text, as_of)
    return Facts(
        durations=durations,
        amounts=amounts,
        stars=stars,
        percentages=percentages,
        jss_from=jss_from,
        jss_to=jss_to,
        jss_now=jss_now,
        counts=counts,
        dates=dates,
        months_since_latest=max(0.0, (as_of - latest).days / 30.44) if latest is not None else None,
        ended_on=ended_on,
        submitted_on=submitted_on,
        requested_on=extract_request_day(text, as_of),
        due_on=extract_due_day(text, as_of),
        last_work_on=extract_last_work(text, as_of),
        idle_days=None if idle_since is None else (as_of - idle_since).days,
    )
