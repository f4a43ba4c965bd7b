"""The asker's own figures for /ask's direct answer: days left of a count, the months an outcome ages out, a job's
weight, time away against the windows and Top Rated, the published formula on a few jobs told, and the like.

Why apart from the leads (bot.services.ask_leads): choosing which words lead is one job, working out the numbers
that go into them from the question's facts and the catalogue's numbers is another. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from bot.qa.cue_figures import WINDOWS_LISTED, job_months
from bot.qa.day_counts import DAY_COUNTS
from bot.qa.extract import Count, extract_amounts, extract_event_days, extract_stars
from bot.qa.normalize import fold
from bot.qa.story import SENTENCE_RE, STAR_FIGURE_RE, asking_part, is_hearsay, telling_part
from scoring.catalogue import Catalogue
from scoring.dates import add_months, window_exit
from scoring.params import ModelParams

if TYPE_CHECKING:
    from bot.qa.understand import Understanding

MAX_ELAPSED_DAYS = 60
"""A span longer than this in a question about a day count is not the time since its start (the job's length...)."""


def number(catalogue: Catalogue, rule: str, key: str) -> float:
    """One number of a catalogue rule (a threshold a lead variant is chosen by)."""
    value = catalogue.get(rule).numbers[key]
    if not isinstance(value, (int, float)):
        raise TypeError(f"{rule}.{key} is not a number")
    return float(value)


WINDOW_NAMES = {3: "3-month", 6: "6-month", 12: "12-month", 24: "24-month"}


def window_figures(u: Understanding) -> dict[str, Any] | None:
    """For "24-month score 91%, 12-month 89%, 6-month 95%, which one is shown?": the scores told, the trending score
    when the 3- and 6-month ones are told (their average, W-TRENDING), and the highest of those Upwork can show (the
    6-, 12-, 24-month and trending scores; a 3-month score alone is never shown). None unless two or more are told."""
    told = dict(u.cues.window_scores)
    if len(told) == 1:
        return _one_window(u, told)
    if len(told) < 2:
        return None
    shown = {WINDOW_NAMES[m]: pct for m, pct in told.items() if m != 3}
    trending = (told[3] + told[6]) / 2 if 3 in told and 6 in told else None
    if trending is not None:
        shown["trending"] = trending
    best = max(shown.items(), key=lambda item: item[1]) if shown else None
    # a profile score above every window told, with the 6-month one told and the 3-month not: the trending score, and
    # the 3-month score it needs ("24-month 91%, 12-month 89%, 6-month 95%, but the profile says 97%")
    others = {p for p in u.facts.percentages if p not in told.values()}  # the profile's figure beside the windows
    told_jss = jss_told(u)
    displayed = others.pop() if len(others) == 1 else told_jss if told_jss not in told.values() else None
    above = displayed is not None and best is not None and displayed >= best[1] + 1 and trending is None
    implied = min(100.0, 2 * displayed - told[6]) if above and displayed is not None and 6 in told else None
    # "3 months 100%, 6 months 90% ... JSS 95%: none of those is 95": the profile's score is the trending one
    matched = trending is not None and displayed is not None and round(trending) == round(displayed)
    return {
        "matched": displayed if matched else None,
        "listed": len(told) >= WINDOWS_LISTED,
        "told": [(WINDOW_NAMES[m], pct) for m, pct in told.items()],
        "trending": trending,
        "three": told.get(3),
        "six": told.get(6),
        "best": best,
        "displayed": displayed if implied is not None else None,
        "implied_three": implied,
        "single": None,
    }


def _one_window(u: Understanding, told: dict[int, float]) -> dict[str, Any] | None:
    """For "insights says my 24-month score is 86% but my profile shows 93, which one do clients see?": one window told
    beside a higher score told as the profile's; the profile's is the one shown (the best qualifying window)."""
    ((months, pct),) = told.items()
    others = {p for p in u.facts.percentages if p != pct}
    shown = _PROFILE_FIGURE_RE.search(fold(u.question))  # "my profile shows 93", no % sign
    told_jss = float(shown.group(1)) if shown is not None else jss_told(u)
    displayed = others.pop() if len(others) == 1 else told_jss if told_jss != pct else None
    if displayed is None or displayed <= pct or months == 3:
        return None
    return {"single": (WINDOW_NAMES[months], pct), "displayed": displayed, "listed": False, "matched": None}


_PROFILE_FIGURE_RE = re.compile(
    r"\bprofile\s+(?:shows?|says?|is|has|displays?|reads?)\s+(?:at\s+)?(\d{2,3})\b(?!\s*(?:usd|jobs?))"
)
"""The score told as the profile's ("my profile shows 93")."""


def star_average_told(u: Understanding) -> float | None:
    """For "profile says 5 stars but hover shows 4.7??": a star figure with a fraction told, the average the asker
    sees (whole stars are single reviews); None when none or several are told."""
    averages = {s.value for s in u.facts.stars if s.value != int(s.value)}
    averages |= {float(m) for m in STAR_FIGURE_RE.findall(fold(u.question))}
    return averages.pop() if len(averages) == 1 else None


def several_contracts(u: Understanding) -> bool:
    """The asker tells of several contracts to deal with: "I have 4 hourly contracts open", "two hourly clients went
    quiet on me", "7 hourly contracts that are still technically active"."""
    return any(c.noun in ("contract", "client") and c.n >= 2 for c in u.facts.counts)


def waited(u: Understanding, catalogue: Catalogue) -> dict[str, Any] | None:
    """For "the client went silent 2 months ago / never answers my messages asking to close, should I close it?" and
    "I asked them months ago, they said they would and never did": whether the asker already asked, whether the client
    is silent, and the months told; None unless the forum's rule of thumb is met on an open contract: a silent client
    the asker asked or waited C-SELF-CLOSE-2MO's idle days for, or one asked who left it open that long."""
    story = u.story
    if story.ended_by in ("client", "upwork"):  # "should I close it myself?" reads as "me"
        return None
    # the longest span told, else the days since the last activity told by its day ("Last activity was Nov 30")
    days: float | None = max((d.days for d in u.facts.durations), default=None)
    months = max((d.months for d in u.facts.durations), default=None)
    if days is None and u.facts.idle_days is not None:
        # whole months since that day: "still open after 2 months" for 77 days, not 3
        days, months = u.facts.idle_days, float(u.facts.idle_days // DAYS_PER_MONTH)
    if days is not None and days < number(catalogue, "C-SELF-CLOSE-2MO", "min_idle_days"):
        days = months = None  # shorter than the rule of thumb: waited only if a silent client was already asked
    silent, asked = u.cues.client_silent, u.cues.asked_to_close
    if not ((silent and (asked or days is not None)) or (asked and days is not None)):
        return None
    several = several_contracts(u)
    return {
        "asked": asked,
        "silent": silent,
        "months": None if months is None else round(months),
        "several": several,
    }


def largest_contract(catalogue: Catalogue, u: Understanding) -> dict[str, Any] | None:
    """For "still no Top Rated Plus, my biggest contract is $4,200": the asker's biggest contract beside the range of
    sizes B-TRP counts as large (by category); None unless they name one and the answer is about Top Rated Plus."""
    amount = u.cues.largest_contract_usd
    if amount is None or "B-TRP" not in u.rules[:2]:
        return None
    sizes = catalogue.get("B-TRP").numbers["large_contract_usd_range"]
    if not isinstance(sizes, list):
        return None
    return {"amount": amount, "low": Decimal(min(sizes)), "high": Decimal(max(sizes))}


FEW_JOBS = 10
"""Jobs told up to this many are few: one weak outcome among them moves the score a lot (L-NEWBIE-MATH's examples: 7
jobs with one 1-star review gave 79 %)."""


def few_jobs(u: Understanding) -> bool:
    """The asker tells of FEW_JOBS jobs or fewer ("I have done 6 jobs"); not told: False (the answer then points to
    where the asker can see which of their jobs count, rather than guess their count)."""
    return u.cues.volume_asked or any(c.noun in JOB_NOUNS and c.n <= FEW_JOBS for c in u.facts.counts)


JOB_NOUNS = frozenset({"job", "contract", "project"})


_STILL_OPEN_RE = re.compile(r"\b(?:active|open|running|ongoing|current|live|paused)\b")


def _finished(counts: Sequence[Count]) -> list[Count]:
    """Counts of jobs that may have ended: not "2 active contracts", "3 open contracts" (no outcome yet)."""
    return [c for c in counts if _STILL_OPEN_RE.search(c.text.lower()) is None]


def jobs_done(u: Understanding) -> dict[str, Any] | None:
    """For "I have completed 3 jobs but still no JSS": the jobs the asker says they completed (2 or more: one is
    short of the minimum whatever else), in their word; None when they tell no such count (`Story.jobs_told`)."""
    # "you need 4 completed contracts, right? I have 2 done": the 4 is the rule asked about, the 2 are the asker's
    required = u.cues.required_counts
    counts = (
        c for c in _finished(u.facts.counts) if c.noun in JOB_NOUNS and c.n >= 2 and c.text.lower() not in required
    )
    count = next(counts, None)
    if u.cues.other_platform:  # "300 orders on Fiverr" are no Upwork jobs
        return None
    if count is None or not u.cues.jobs_told:
        return _jobs_by_ordinal(u.question)
    return {"n": count.n, "noun": count.noun}


_ORDINAL_JOB_RE = re.compile(
    r"\b(?P<nth>first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\s+(?:[\w-]+\s+)?(?P<noun>contract|job|project)s?\b",
    re.IGNORECASE,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_ORDINALS |= {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}


def _jobs_by_ordinal(question: str) -> dict[str, Any] | None:
    """Jobs told one by one ("First contract (client A) ended Jan 12 ... Second contract with client B ends Feb 20"):
    as many as the last ordinal the telling sentences name, when the first is told too ("or do I need a third job?"
    asks about one more)."""
    telling = telling_part(fold(question))
    told = [(_ORDINALS[m.group("nth").lower()], m.group("noun").lower()) for m in _ORDINAL_JOB_RE.finditer(telling)]
    if not told or min(n for n, _ in told) != 1:
        return None
    n, noun = max(told)
    return {"n": n, "noun": noun} if n >= 2 else None


def away_span(catalogue: Catalogue, u: Understanding) -> dict[str, Any] | None:
    """For "will my JSS disappear if I don't work for a year?": the months away (to the half month: "two and a half
    months" is not 2), the whole months of work before the break that still count after it (W-24MAX's window), and
    whether the break outlasts Top Rated's activity days (B-TR); None when no time away is told."""
    months = u.cues.away_months
    if months is None:
        return None
    window = int(number(catalogue, "W-24MAX", "months"))
    activity_days = int(number(catalogue, "B-TR", "activity_days"))
    away = max(1.0, round(months * 2) / 2)
    return {
        "months": away,
        "counted": max(0, int(window - away)),
        "window": window,
        "activity_days": activity_days,
        "badge_at_risk": away * DAYS_PER_MONTH >= activity_days,
    }


DAYS_PER_MONTH = 30.44
"""Days in an average month: months away against Top Rated's activity days, days idle as months waited."""


def bad_outcome_start(u: Understanding) -> date | None:
    """When the bad outcome the asker tells happened ("a 2-star review in March", "4 months ago"): a date, or one
    exact span back from today; None when the question gives neither, or more than one span (the job's length...)."""
    if u.facts.dates:
        return u.facts.dates[0]
    spans = u.facts.durations
    if len(spans) == 1 and not spans[0].approximate:
        return spans[0].since
    return None


class AgeOutStage(NamedTuple):
    """An outcome leaves the window of `months` around `day` (see `age_out_stages`)."""

    months: int
    day: date


def bad_outcome_end(u: Understanding, as_of: date) -> date | None:
    """The day the contract with the bad outcome ended, when one sentence tells both (`Facts.ended_on` and a poor
    rating: "ended the contract on 28 August 2025 and left 1 star", "bad review on job ended july 28 2025"): where
    its age-out days are exact. A day told beside a good review ("a $3,200 build with a glowing 5-star review,
    ended on August 8") or alone dates no bad outcome."""
    ended = u.facts.ended_on
    if ended is None:
        return None
    for sentence in SENTENCE_RE.findall(u.question):
        stars = [s.value for s in extract_stars(sentence)[0]]
        weak = any(v < GOOD_STARS for v in stars) or _POOR_REVIEW_RE.search(sentence) is not None
        if weak and all(v < GOOD_STARS for v in stars) and extract_event_days(sentence, as_of)[0] == ended:
            return ended
    return None


_POOR_REVIEW_RE = re.compile(
    r"\b(?:bad|negative|poor|terrible|awful|low|worst|nasty|harsh)\s+(?:\w+\s+){0,2}?(?:review|feedback|rating|contract)s?\b",
    re.IGNORECASE,
)
"""A poor review told in words ("bad review", "my worst contract ever", "negative feedback")."""


def age_out_stages(catalogue: Catalogue, u: Understanding, as_of: date) -> dict[str, Any] | None:
    """For "a 2-star review in March, when does it stop counting?": the months its outcome leaves each window the
    score is taken from (W-TRENDING's 3-month part, then W-WINDOWS' 6, 12 and 24 months), and which of them are past.
    The contract's end, not the review, starts the count; a review comes within 14 days of it, so months are
    "around". When the asker tells the day the contract ended ("ended the contract on 28 August 2025 and left 1
    star", the first day the question tells), the days are exact: it leaves each window its months and one day after
    that day (W-AGE-OUT), so 1 March 2026, not "around February"."""
    # "dispute opened Dec 8 ... he closed the contract on Dec 22 and left 1 star": the end counts
    ended = bad_outcome_end(u, as_of)
    start = ended or bad_outcome_start(u)
    if start is None or start > as_of:
        return None
    trending, windows = catalogue.get("W-TRENDING").numbers["months"], catalogue.get("W-WINDOWS").numbers["months"]
    extra = catalogue.get("W-AGE-OUT").numbers["extra_days"]
    if not isinstance(trending, list) or not isinstance(windows, list) or not isinstance(extra, int):
        return None
    months = sorted({int(m) for m in [min(trending), *windows]})
    exact = start == ended  # the day the contract ended, told: not only a month's
    stages = [AgeOutStage(m, window_exit(start, m, extra) if exact else add_months(start, m)) for m in months]
    return {
        "exact": exact,
        "today": as_of,
        "start": start,
        "done": [s for s in stages if s.day < as_of],
        "ahead": [s for s in stages if s.day >= as_of],  # one left today is said so: "leaves ... today, 15 February"
    }


def job_weight(catalogue: Catalogue, u: Understanding) -> dict[str, Any] | None:
    """For "1 star on a $50 job, how bad is it?": the job's weight among outcomes (WT-EARNINGS-TIERS: $1-$250 counts
    as 1 job, $251-$1,000 as 1.25, over $1,000 as 1.5) and its band, lightest to heaviest, plus the weight its length
    adds when the asker tells it ("$18k over 14 months": one more job's weight per 3 paid months, up to 8 in all);
    None without an amount."""
    if not u.facts.amounts:
        return None
    numbers = catalogue.get("WT-EARNINGS-TIERS").numbers
    uppers, weights = numbers["tier_upper_usd"], numbers["tier_weights"]
    if not isinstance(uppers, list) or not isinstance(weights, list):
        return None
    # the job rated, when a sentence tells its pay beside the stars; else the first amount of the post
    amount = u.cues.rated_job_usd if u.cues.rated_job_usd is not None else u.facts.amounts[0].value
    months = u.cues.job_months
    band, weight, added = _tier_weight(catalogue, amount, months)
    return {
        "amount": amount,
        "weight": weights[band],
        "band": band,
        "uppers": uppers,
        "weights": weights,
        "months": None if months is None else int(months),
        "added": added,
        "total": weight + added,
        "per": int(number(catalogue, "WT-EARNINGS-TIERS", "months_per_bonus")),
        "most": number(catalogue, "WT-EARNINGS-TIERS", "max_weight"),
    }


def _tier_weight(catalogue: Catalogue, amount: Decimal, months: float | None) -> tuple[int, float, float]:
    """A job's earnings band, the weight its pay gives (WT-EARNINGS-TIERS' tiers) and the weight its months of payments
    add (one per `months_per_bonus` months, the whole capped at `max_weight`)."""
    numbers = catalogue.get("WT-EARNINGS-TIERS").numbers
    uppers, weights = numbers["tier_upper_usd"], numbers["tier_weights"]
    if not isinstance(uppers, list) or not isinstance(weights, list):
        raise TypeError("WT-EARNINGS-TIERS needs tier_upper_usd and tier_weights lists")
    band = next((i for i, upper in enumerate(uppers) if amount <= Decimal(str(upper))), len(uppers))
    weight = float(weights[band])
    per, bonus, most = (
        number(catalogue, "WT-EARNINGS-TIERS", k) for k in ("months_per_bonus", "bonus_weight", "max_weight")
    )
    return band, weight, 0.0 if months is None else min(most - weight, (months // per) * bonus)


REFUND_WORD_RE = re.compile(r"\brefund", re.IGNORECASE)
"""A refund told ("refunded", "a refund"): two amounts beside it are one job's options, and a threat beside it is one
demanding the money back (bot.services.ask_leads)."""
MAX_COMPARED_JOBS = 6
"""Jobs listed beyond this are a work history pasted whole, not the jobs a "which one hurts more?" weighs."""
_CLAUSE_SPLIT_RE = re.compile(r"(?:(?!\b(?:and|or|vs|versus)\b)[^.?!;,\n]|(?<=\d)[.,](?=\d))+", re.IGNORECASE)
"""A clause of the question: "3 stars on a $180 logo job, or 4 stars on a $1,500 website" and "1 star on a $40 job and
5 stars on a $3000 job" tell two jobs each; a thousands separator ("$1,500") ends none."""


def compared_jobs(catalogue: Catalogue, u: Understanding) -> dict[str, Any] | None:
    """For "A or B, which hurts less: 3 stars on a $180 job, or 4 stars on a $1,500 one?" or a list of contracts with
    "which would hurt the most?": each job told with its pay, its weight (WT-EARNINGS-TIERS' tier, plus the weight its
    months of payments add, up to the maximum) and the stars told beside it, heaviest first; and which decides,
    the weight or the ratings (a weak rating beside one of 4 stars or more costs more whatever the size: stars mapping
    to outcomes is not published, but 4 stars may still count as a success). None unless the story compares jobs
    (Story.jobs_compared) and two to MAX_COMPARED_JOBS are told, one per line or clause."""
    if not u.story.jobs_compared or u.story.asker_client or REFUND_WORD_RE.search(u.question):
        return None  # "A: I refund $200 and she leaves 4 stars, B: no refund": one job's options, not two jobs
    lines = [line for line in u.question.splitlines() if len(extract_amounts(fold(line))[0]) == 1]
    units = lines if len(lines) >= 2 else [c for c in _CLAUSE_SPLIT_RE.findall(u.question) if c.strip()]
    jobs: list[dict[str, Any]] = []
    for unit in units:
        folded = fold(unit)
        amounts = extract_amounts(folded)[0]
        if len(amounts) != 1:
            continue
        amount = amounts[0].value
        months = job_months(folded)
        _, weight, added = _tier_weight(catalogue, amount, months)
        stars = [star.value for star in extract_stars(folded)[0]]
        jobs.append({"amount": amount, "weight": weight + added, "months": months, "stars": min(stars, default=None)})
    if not 2 <= len(jobs) <= MAX_COMPARED_JOBS or len({job["amount"] for job in jobs}) < len(jobs):
        return None
    jobs.sort(key=lambda job: -job["weight"])
    heavy, light = jobs[0]["stars"], jobs[1]["stars"]
    rated = len(jobs) == 2 and heavy is not None and light is not None
    return {
        "jobs": jobs,
        # 3 stars on the light job against 4 on the heavy one: the weak rating decides, not the size
        "by_stars": rated and light <= WEAK_STARS < heavy < FULL_STARS,
        # one job rated 5 stars, the other poorly: which one's rating weighs more
        "mixed": rated and min(heavy, light) <= WEAK_STARS and max(heavy, light) >= FULL_STARS,
        "ratio": jobs[0]["weight"] / jobs[1]["weight"],
    }


WEAK_STARS = 3.0
"""A rating of this or lower is almost surely a weak outcome (no source counts 3 stars as a success)."""
FULL_STARS = 5.0
"""A rating that is a full success; between WEAK_STARS and this, Upwork has not said (4 stars may count as less)."""


def last_work(catalogue: Catalogue, u: Understanding, as_of: date) -> dict[str, Any] | None:
    """For "my last contract ended in December 2023, is my JSS still there?": the month the asker's last work ended
    (`Facts.last_work_on`) against W-24MAX's 24 months, when it leaves them and whether that is past. None when no
    such month is told, or when a weak rating is told (how that outcome ages out answers, `age_out_stages`)."""
    day = u.facts.last_work_on
    weak = u.story.feedback in ("negative", "mixed") or any(s.value < GOOD_STARS for s in u.facts.stars)
    if day is None or weak:
        return None
    months = int(number(catalogue, "W-24MAX", "months"))
    leaves = add_months(day, months)
    return {"ended": f"{day:%B %Y}", "leaves": f"{leaves:%B %Y}", "gone": leaves <= as_of, "months": months}


def days_left(catalogue: Catalogue, first: str | None, u: Understanding, as_of: date) -> dict[str, Any] | None:
    """For "can the client still leave a review after 10 days?", "the contract ended on Jan 5, am I too late?" or "I
    submitted the milestone 10 days ago": the days the asker says have passed and the days of the rule's count left
    (negative once it ran out), or None when the question gives no span (DAY_COUNTS). A day told for the start (the
    contract's end, the milestone's submission) also gives "start" and "end", the day the count runs out; it is read
    before any span ("went silent for 11 days" is no time since the end)."""
    if first not in DAY_COUNTS or u.cues.days_ahead:
        return None  # "it auto-releases in 2 days" tells what is left, not what has passed
    rule, key = DAY_COUNTS[first]
    days = catalogue.get(rule).numbers[key]
    if not isinstance(days, int):
        return None
    # the escrow refund request comes when the client ends the contract: its day, else the day the client ended it
    requested = u.facts.requested_on or (u.facts.ended_on if u.story.ended_by == "client" else None)
    start = {"C-FP-AUTO-RELEASE": u.facts.submitted_on, "C-ESCROW-REFUND": requested}.get(first, u.facts.ended_on)
    if first == "C-ESCROW-REFUND" and (start is None or _ANSWERED_RE.search(telling_part(fold(u.question)))):
        # "the client ended it 10 days ago": no day the request came, so no count to work out; "I declined and
        # disputed": it was answered
        return None
    if start is not None and (as_of - start).days <= MAX_DATED_DAYS:
        return _dated_count(start, days, as_of)
    if not u.facts.durations:
        return None
    elapsed = u.facts.durations[0].days
    if elapsed > MAX_ELAPSED_DAYS or elapsed == days:
        return None  # "the 14 days are over" names the count itself, not the time since it started
    return {"elapsed": elapsed, "left": days - elapsed}


def _dated_count(start: date, days: int, as_of: date) -> dict[str, Any]:
    """A count of `days` from `start`, seen on `as_of`: the days passed and left (negative once it ran out), and its
    first and last day (`since_start` in ask_leads.j2 words it)."""
    elapsed = (as_of - start).days
    return {"elapsed": elapsed, "left": days - elapsed, "start": start, "end": start + timedelta(days=days)}


FEEDBACK_WINDOW_RULES = frozenset(
    {"FB-WHO-ENDS", "FB-DOUBLE-BLIND", "FB-EDIT", "X-NO-FEEDBACK", "FB-14DAYS", "FB-LATE"}
)
"""Rules cited first whose answer turns on the feedback window (who ends it, when the reviews show, a change asked for,
a contract with no feedback, the window itself): the day the asker says the contract ended dates the window, where the
lead does not already (a client's lead, for one)."""


def feedback_window(catalogue: Catalogue, first: str | None, u: Understanding, as_of: date) -> dict[str, Any] | None:
    """For "she ended the contract on Feb 10, can I still leave a review, until what date?": the feedback window
    (FB-14DAYS) from the day told, as `days_left` counts it; None without a day told for the end. The template leaves it
    out when the lead already gives that last day."""
    start = u.facts.ended_on
    if first not in FEEDBACK_WINDOW_RULES or start is None or not 0 < (as_of - start).days <= MAX_ELAPSED_DAYS:
        return None  # "I end it myself today, or wait?": a day told as today may be an ending not yet made
    days = catalogue.get("FB-14DAYS").numbers["days"]
    return _dated_count(start, days, as_of) if isinstance(days, int) else None


def weeks_short_until(catalogue: Catalogue, u: Understanding, as_of: date) -> date | None:
    """For "my stats say 4 of 16 eligible weeks: by what date do I hit 13/16?": the earliest day the weeks short
    can be made up, one week at a time from today (B-TR: 13 of the last 16 weeks); None unless the weeks are told
    and short."""
    told = u.cues.weeks_told
    needed = number(catalogue, "B-TR", "eligible_weeks")
    if told is None or told >= needed:
        return None
    folded = fold(u.question)
    if _WHEN_ASKED_RE.search(asking_part(folded)) is None or _STUCK_RE.search(folded) is not None:
        # "stuck at 12/16 for a month, why?": why it has not moved, not when; and a count told as not moving for
        # weeks says its weeks under 90 % are recent, so the earliest day would read as a false promise
        return None
    score = jss_told(u)
    if score is not None and score < number(catalogue, "B-TR", "min_jss"):
        return None  # "my score is 89 and the stats page says 11 of 16": no week counts until it is 90 again
    window_days = 7 * number(catalogue, "B-TR", "of_weeks")
    if any(0 <= (as_of - day).days <= window_days for day in u.facts.dates):
        # "lost Top Rated on Jan 9 ... 11 of 16": weeks under 90 % that recent leave the 16 weeks only months later,
        # so today plus the weeks short would be a false promise (a blind reader marked those dates down)
        return None
    figure = re.compile(rf"\b{told}\s*(?:of|/|out\s+of)\s*(?:the\s+)?(?:last\s+)?16\b")
    if any(figure.search(s) and _PAST_FIGURE_RE.search(s) for s in SENTENCE_RE.findall(folded)):
        return None  # "two weeks ago my eligible weeks were 12 of 16": not today's count
    return as_of + timedelta(weeks=int(needed) - told)


DORMANCY_RULES = frozenset({"C-FP-DORMANT", "C-FP-OPTOUT", "C-AUTO-CLOSE-LORE"})
"""Rules cited first for what an idle funded fixed-price contract's dormancy does (`dormancy_dates`)."""


def dormancy_dates(catalogue: Catalogue, first: str | None, u: Understanding, as_of: date) -> dict[str, Any] | None:
    """For "milestone 2 was due November 20, the client vanished, when exactly does it go dormant?": C-FP-DORMANT's
    days counted from the milestone's due date the asker tells (the warnings, the day it goes dormant, the client's 7
    days, the freelancer's 7 days to request the release), assuming nothing happened on the contract since. None
    unless a past due day is told for a fixed-price contract whose dormancy is asked, or when the whole process would
    be long over (something else has happened since)."""
    due = u.facts.due_on
    dormancy_asked = first in DORMANCY_RULES or u.intent == "dormant_fixed"
    if due is None or not dormancy_asked or u.cues.contract_kind == "hourly":
        return None
    listed = catalogue.get("C-FP-DORMANT").numbers["warning_days"]
    warnings = [n for n in listed if isinstance(n, int)] if isinstance(listed, list) else []
    dormant, client, freelancer, approve = (
        int(number(catalogue, "C-FP-DORMANT", key))
        for key in ("dormant_day", "client_days", "freelancer_days", "approve_days")
    )
    if len(warnings) != 2:
        return None  # the template names the two warnings
    dormant_on = due + timedelta(days=dormant)
    release_until = dormant_on + timedelta(days=client + freelancer)
    if (as_of - release_until).days > approve:
        return None  # long over: the contract was closed, paid or changed since, which the post would tell
    client_until = dormant_on + timedelta(days=client)
    stage = "ahead" if dormant_on >= as_of else ("client" if client_until >= as_of else "release")
    return {
        "stage": stage if release_until >= as_of else "over",
        "due": due,
        "warnings": [due + timedelta(days=n) for n in warnings],
        "dormant": dormant_on,
        "left": (dormant_on - as_of).days,
        "client_until": client_until,
        "release_until": release_until,
        "approve_days": approve,
        "first": _WHEN_ASKED_RE.search(asking_part(fold(u.question))) is not None,
    }


_WHEN_ASKED_RE = re.compile(
    r"\b(?:when|how\s+long|how\s+many\s+(?:more\s+)?weeks|what\s+dates?|which\s+dates?|until|till)\b"
)
"""The asking sentences ask when ("when will I get Top Rated back?", "by what date should I hit 13/16?")."""
_STUCK_RE = re.compile(
    r"\bstuck\b|\bsame\s+(?:number|count)\b|\bnot\s+(?:mov|increas|chang|go(?:ing)?\s+up)\w*"
    r"|\b(?:has|have)\s*n[o']?t\s+(?:mov|increas|chang)\w*|\bhasnt\s+(?:mov|increas|chang)\w*"
)
"""The eligible-weeks count told as not moving for a while."""
_PAST_FIGURE_RE = re.compile(r"\b(?:ago|were|was|as\s+of|back\s+in|last\s+(?:week|month))\b")
"""A figure told as it was, not as it is."""


_ANSWERED_RE = re.compile(r"\b(?:declined|disputed|approved|accepted|mediation|arbitration|mediator|arbitrator)\b")
"""A refund request told as answered ("I declined and disputed, mediation mostly went my way")."""


MAX_DATED_DAYS = 400
"""A start day told further back than this is not this count's ("the contract ended on March 3" read as last year's
March): about a year and a month."""


FORMULA_MAX_JOBS = 20
"""Up to this many jobs told, one weak rating among them is answered with the published formula on them: beyond it one
outcome moves the score by a few points, and the job's weight and the windows matter more than the count."""
GOOD_STARS = ModelParams().good_stars_min
BAD_STARS = ModelParams().bad_stars_below
"""Stars below this are a weak rating: the model's own line between a success and a lesser outcome (scoring.params)."""


def _percent(share: float) -> int:
    return round(100 * share)


COST_ASKED_RE = re.compile(
    r"\bhow\s+(?:many|much|far)\b|\bhow\s+(?:bad|big|hard)\b|\bcost\b"
    r"|\bwhere\s+(?:[\w']+\s+){0,4}?(?:land|end\s+up)\b"
    r"|\bwhat\s+(?:will|would|could)\s+(?:my|the)\s+(?:score|jss)\b|\b(?:drop|fall)\s+to\b"
)
"""The asking sentences ask what one bad outcome costs ("roughly how many points does one disputed milestone cost?",
"where will I land?"), in the folded text."""
MAX_AHEAD_JOBS = 200
"""Jobs told beyond this are no count of the asker's own history."""


def one_bad_ahead(catalogue: Catalogue, u: Understanding) -> dict[str, Any] | None:
    """For "roughly how many jss points does one disputed milestone cost? im 98% with like 20 jobs" or "12 jobs, all 5
    stars, a client says he'll leave 3 stars on a $300 job: where will I land?": Upwork's one published formula
    (F-FORMULA) with the asker's jobs counted as one good outcome each and one more, weighing its pay's tier
    (WT-EARNINGS-TIERS), counted as bad and as merely not a success; and the drop from the score told. None unless a
    freelancer tells how many jobs they have and asks what it costs, and the jobs told are not already the formula's
    (`one_weak_among_few`) nor jobs compared (`compared_jobs`)."""
    if u.story.asker_client or not COST_ASKED_RE.search(asking_part(fold(u.question))):
        return None
    if one_weak_among_few(catalogue, u) is not None or compared_jobs(catalogue, u) is not None:
        return None
    count = next((c for c in _finished(u.facts.counts) if c.noun in JOB_NOUNS and 2 <= c.n <= MAX_AHEAD_JOBS), None)
    if count is None or _MORE_JOBS_RE.search(count.text):
        return None
    rated = u.cues.rated_job_usd
    amount = rated if rated is not None else (u.facts.amounts[0].value if len(u.facts.amounts) == 1 else None)
    if u.cues.job_months is not None:
        return None  # "my longest client (9 months, $6k) got 3.75 stars": its weight decides (bad_feedback_sized)
    _, weight, _ = _tier_weight(catalogue, amount, None) if amount is not None else (0, 1.0, 0.0)
    n = count.n
    total = n + weight
    low, high = _percent((n - weight) / total), _percent(n / total)
    told = jss_told(u)
    return {
        "n": n,
        "noun": count.noun,
        "amount": amount,
        "weight": weight,
        "total": total,
        "low": low,
        "high": high,
        "told": None if told is None or told < high else f"{told:g}",
        "drop_low": None if told is None else max(0, round(told - high)),
        "drop_high": None if told is None else max(0, round(told - low)),
        "badge_at_risk": u.story.badge == "top_rated" and low < number(catalogue, "B-TR", "min_jss"),
    }


_PAY_WORD_RE = re.compile(
    r"\b(?:bonus|tip|paid|sent|(?:offer(?:ed|s)?|wants?|agreed|will|would)\s+(?:to\s+)?pay)\b", re.IGNORECASE
)
"""Money paid, or offered, told in words ("sent $25 bonus", "offered to pay $15 for it"); not advice to have it paid
("always ask the client to pay at least 1 dollar")."""


def paid_on_zero(catalogue: Catalogue, u: Understanding) -> dict[str, Any] | None:
    """For "client sent a $25 bonus on my $0 test contract + 5 stars. will the review show now?" or "a free test task
    ... he offered to pay $15 instead: does that change anything?": the money paid (or offered) on a contract the story
    tells as $0 (`Story.money` "none"), in a sentence that tells a payment, and the weight its pay gives the job
    (WT-EARNINGS-TIERS); None otherwise."""
    if u.story.money != "none" or u.story.asker_client:
        return None
    for sentence in SENTENCE_RE.findall(u.question):
        if _PAY_WORD_RE.search(sentence) is None:
            continue
        paid = [a.value for a in extract_amounts(fold(sentence))[0] if a.value >= 1]
        if len(paid) == 1:
            _, weight, _ = _tier_weight(catalogue, paid[0], None)
            return {"amount": paid[0], "weight": weight}
    return None


def jss_told(u: Understanding) -> float | None:
    """The asker's JSS: the figure the question names as theirs (`Facts.jss_now`), else its only percentage ("my
    first JSS after 4 jobs... and it's 62%?!", "is 84% jss bad?"); None when neither tells one."""
    figure = u.facts.jss_now
    if figure is None and len(set(u.facts.percentages)) == 1:
        figure = u.facts.percentages[0]
    return None if figure is None or _only_hearsay(u.question, figure) else figure


def _only_hearsay(question: str, figure: float) -> bool:
    """Every sentence naming `figure` relays someone else's story ("my friend ... lost 10 percent, from 100 to 90"):
    the figure is not the asker's."""
    number = re.compile(rf"(?<![\d.]){re.escape(f'{figure:g}')}(?![\d])")
    naming = [s for s in SENTENCE_RE.findall(fold(question)) if number.search(s)]
    return bool(naming) and all(is_hearsay(s) for s in naming)


READING_RULES = frozenset({"F-FORMULA", "F-BANDS", "L-ESTIMATOR"})
"""Rules cited first for what a score means or how it is worked out: a score told beside a count of jobs is read back
as the weak outcomes it stands for (`weak_outcomes`)."""
READING_MIN_JOBS = 5
"""Fewer jobs are `one_weak_among_few`'s to work through one by one."""


def weak_outcomes(catalogue: Catalogue, first: str | None, u: Understanding) -> dict[str, Any] | None:
    """For "85% Job Success with 40+ jobs: does that mean 6 unhappy clients?": the score told read back through
    Upwork's one published formula (F-FORMULA, (good - bad) / total) as the outcomes counted as bad, or as merely not
    successes, among the jobs told; it leads the answer. None unless the asking sentences ask what the score stands
    for, a score under 100 and READING_MIN_JOBS or more jobs are told, a reading rule is cited first, and the few-jobs
    arithmetic does not already answer."""
    asked = _READING_ASKED_RE.search(asking_part(fold(u.question))) is not None
    if first not in READING_RULES or not asked or one_weak_among_few(catalogue, u) is not None:
        return None  # read back only when asked: beside another question it is noise (a blind reader's verdict)
    score = jss_told(u)
    count = next((c for c in _finished(u.facts.counts) if c.noun in JOB_NOUNS and c.n >= READING_MIN_JOBS), None)
    if score is None or count is None or not 0 < score < 100:
        return None
    short = count.n * (1 - score / 100)
    if round(short / 2) < 1 or len(set(u.facts.percentages)) > 1:
        return None  # under one bad outcome reads loosely; two scores told compare freelancers, whose count is whose
    return {
        "score": score,
        "n": count.n,
        "noun": count.noun,
        "bad": round(short / 2),
        "short": round(short),
    }


_READING_ASKED_RE = re.compile(
    r"\bmeans?\b|\bhow\s+many\s+(?:\w+\s+){0,2}?(?:bad|negative|unhappy|weak|poor|unsatisfied)\b"
    r"|\bformula\b|\bcalculat\w*|\bmaths?\b"
)
"""The asking sentences ask what the score stands for ("does 85 mean 85% of his clients were happy?", "how many
clients were unhappy?") or how it is worked out ("what's the formula? I'm at 89% over 14 contracts")."""


def _rated_lines(question: str) -> int:
    """The jobs a post lists one per line with their pay and stars ("2. Client 2 - $80 - 5 stars"); 0 without such a
    list (a line asking "how many more 5 star jobs?" tells no job)."""
    folded = [fold(line) for line in question.splitlines()]
    lines = [line for line in folded if len(extract_stars(line)[0]) == 1 and len(extract_amounts(line)[0]) == 1]
    return len(lines) if len(lines) >= 2 else 0


_MORE_JOBS_RE = re.compile(r"\b(?:more|new|another|additional|further)\b", re.IGNORECASE)
"""A count told as jobs added to a history ("since then I've closed 5 more contracts", "2 new ones"): not the asker's
whole history, so no formula can be worked out on it."""
_OTHER_JOBS_RE = re.compile(r"\bother\b", re.IGNORECASE)
"""A count told besides the weak job ("2 stars on a $90 job. I have 6 other jobs, all 5 stars"): 7 jobs in all."""


def one_weak_among_few(catalogue: Catalogue, u: Understanding) -> dict[str, Any] | None:
    """For "first JSS 62% after 4 jobs: three clients gave 5 stars, one gave 3": Upwork's one published formula
    (F-FORMULA, (good - bad) / total) on the asker's jobs with the weak one as bad, and as merely not a success
    (good / total); the same a few good jobs later; and whether the score told sits between the two. None unless a
    freelancer tells FORMULA_MAX_JOBS jobs or fewer (2 or more) and exactly one rating under GOOD_STARS among them,
    and the job rated weighs one job (a pay within WT-EARNINGS-TIERS' first tier, no months of payments told)."""
    if u.story.asker_client:
        return None
    count = next((c for c in _finished(u.facts.counts) if c.noun in JOB_NOUNS and 2 <= c.n <= FORMULA_MAX_JOBS), None)
    listed = _rated_lines(u.question)
    if count is None and 2 <= listed <= FORMULA_MAX_JOBS:
        # "1. Client 1 - $50 - 5 stars / 2. ... / 3. ... - 1 star": the jobs listed one per line are the count
        count = Count(text=f"{listed} jobs", n=listed, noun="job")
    # one weak rating, told once or again in the question ("one gave 3 stars ... how does a 3-star make 62?")
    weak = {s.value for s in u.facts.stars if s.value < GOOD_STARS}
    several = any(c.noun == "review" and c.n >= 2 for c in u.facts.counts)  # "two 3-star reviews"
    if count is None or len(weak) != 1 or several or _MORE_JOBS_RE.search(count.text):
        return None  # "since then I've closed 5 more contracts": jobs besides the weak one and those before it
    uppers = catalogue.get("WT-EARNINGS-TIERS").numbers["tier_upper_usd"]
    single = Decimal(str(uppers[0])) if isinstance(uppers, list) else Decimal(0)
    rated = u.cues.rated_job_usd
    amounts = [rated] if rated is not None else [a.value for a in u.facts.amounts]
    if u.cues.job_months is not None or any(a > single for a in amounts):
        return None  # "$18k over 14 months ended with 4 stars": its weight, not the count, decides (bad_feedback_sized)
    n = count.n + (1 if u.cues.job_ahead else 0)  # "4 jobs, what if the next one is 2 stars?": 5 then
    n += 1 if _OTHER_JOBS_RE.search(count.text) else 0
    later = FEW_JOBS if n < FEW_JOBS else 2 * n
    low, high = _percent((n - 2) / n), _percent((n - 1) / n)
    told = jss_told(u)
    return {
        "n": n,
        "noun": count.noun,
        "good": n - 1,
        "low": low,
        "high": high,
        "later": later,
        "later_low": _percent((later - 2) / later),
        "later_high": _percent((later - 1) / later),
        "told": None if told is None or not low <= told <= high else f"{told:g}",
        # a rating the model takes as short of a success, not bad (4 to 4.8 stars): the bad reading is the worst case
        "mild": min(weak) >= BAD_STARS,
    }
