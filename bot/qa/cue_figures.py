"""Figures the asker tells, read from the folded question for the words of /ask's answer: months away, a job's
length, the pay of the job a rating is about, the biggest contract, earnings, Top Rated's eligible weeks.

Why apart from bot.qa.cues: each of these is a small extraction (a number found near the words that name it), where
the other cues are yes/no readings; the Cues model holds both. Like the cues, read after routing: changing one never
moves which rule leads. Pure and linear in the question length.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from bot.qa.extract import Facts, extract_amounts, extract_stars
from bot.qa.normalize import fold
from bot.qa.story import AWAY_RE, MIN_AWAY_MONTHS, SENTENCE_RE
from scoring.params import ModelParams

_WEEKS_RE = re.compile(r"\b(?P<n>\d{1,2})\s*(?:of|/|out\s+of)\s*(?:the\s+)?(?:last\s+)?16\b")


_EARNED_RE = re.compile(r"\b(?:earn\w*|made|make|income|billed)\b")


_RANGE_NEXT_RE = re.compile(r"(?:\s*usd)?\s*(?:-|to|and)\s*\$?\d")


_BOUND_RE = re.compile(
    r"\b(?:over|above|more\s+than|less\s+than|under|below|than|pass|past|hit|reach|exceed\w*|least"
    # round 17: a requirement asked about ("do i need 1000$ earned to get a jss?")
    r"|need|needs|needed|require[sd]?|minimum|min)\s*$"
)


def weeks_told(folded: str) -> int | None:
    """The eligible weeks told as "N of 16" (see `Cues.weeks_told`), when the post speaks of weeks."""
    told = _WEEKS_RE.search(folded)
    if told is None or "week" not in folded:
        return None
    n = int(told.group("n"))
    return n if n <= 16 else None


_WINDOW_SCORE_RE = re.compile(
    r"\b(?P<m>3|6|12|24)month\b(?:\s+(?:score|jss|window|one|number))?(?:\s+(?:is|was|at|of|shows?|says?|sits\s+at))?"
    r"\s*[:=]?\s*(?:about\s+|around\s+|roughly\s+|~\s*)?(?P<pct>\d{2,3}(?:\.\d+)?)"
    r"(?:\s*%|(?![\d%]|[.,]\d)(?!\s*(?:usd|k|of|out|stars?|points?|pts|jobs?|contracts?|clients?|projects?|reviews?|hours?|hrs?|\d*(?:month|week|day|year)s?)\b))"
)
"""A window's score told with its length ("24-month score 91%", "6-month 95%", "last 12 months about 88"; "6 months"
folds to "6month"); a bare figure followed by a count's noun ("6 months 20 jobs") is no score."""


WINDOWS_LISTED = 3
"""Window scores told from this many up are the question ("where does the 95 come from?"), not a drop's background:
the answer works them through (bot.services.ask_leads) and asks no follow-up about what changed (bot.qa.follow_up)."""
MIN_WINDOW_SCORE = 40.0
"""A figure told after a window without "%" is read as its score only from this up ("last 12 months 15" is a count)."""


def window_scores(folded: str) -> tuple[tuple[int, float], ...]:
    """The window scores told (see `Cues.window_scores`), the first figure told for each window."""
    found: dict[int, float] = {}
    for match in _WINDOW_SCORE_RE.finditer(folded):
        pct = float(match.group("pct"))
        if MIN_WINDOW_SCORE <= pct <= 100 or (pct <= 100 and match.group(0).rstrip().endswith("%")):
            found.setdefault(int(match.group("m")), pct)
    return tuple(found.items())


_REQUIRED_COUNT_RE = re.compile(
    r"\b(?:need|needs|needed|require[sd]?|requirement\s+(?:is|of)|minimum(?:\s+of)?|at\s+least|to\s+(?:hit|reach|get\s+to))"
    r"\s+(?:\w+\s+)?(\d+\s+(?:\w+\s+)?(?:jobs?|contracts?|projects?))\b"
)


def required_counts(folded: str) -> frozenset[str]:
    """Counts told as a requirement ("you need 4 completed contracts", "to hit 4 jobs"), not as the asker's own (see
    `Cues.required_counts`)."""
    return frozenset(m.group(1) for m in _REQUIRED_COUNT_RE.finditer(folded))


_ALTERNATIVE_RE = re.compile(r"\s*(?:usd\s*)?(?:or|vs\.?|versus)\s*$")
"""What lies between two amounts offered as alternatives ("$10k or $20k")."""


def earned(folded: str) -> Decimal | None:
    """The amount nearest an earnings word in its sentence (see `Cues.earned_usd`); not an amount given as a bound ("way
    over 10k", "more than $10k", "about to pass $10k"), which is no figure to set beside a threshold, nor the first
    end of a range ("$9-10k": its unit is told once, at the other end)."""
    for sentence in SENTENCE_RE.findall(folded):
        word = _EARNED_RE.search(sentence)
        if word is None:
            continue
        amounts, spans = extract_amounts(sentence)
        if any(_ALTERNATIVE_RE.match(sentence, a[1], b[0]) for a, b in itertools.pairwise(spans)):
            continue  # "is top rated plus $10k or $20k earnings for me?": thresholds asked about, not earnings told
        exact = [
            (a, span)
            for a, span in zip(amounts, spans, strict=True)
            if not _BOUND_RE.search(sentence[: span[0]]) and not _RANGE_NEXT_RE.match(sentence, span[1])
        ]
        nearest = min(exact, key=lambda a: abs(a[1][0] - word.end()), default=None)
        if nearest is not None:
            return nearest[0].value
    return None


def away_months(folded: str, facts: Facts) -> float | None:
    """The longest span told, when the asker tells of their own time away or time without work (see `Cues.away_months`):
    among the spans of the clauses that tell of it when they give one ("I plan to stop working for 6-8 months. I am
    Top Rated since 2 years" is 8 months away, not 24), else among all."""
    if not facts.durations or (AWAY_RE.search(folded) is None and _NO_WORK_RE.search(folded) is None):
        return None
    away = [s for s in _CLAUSE_RE.findall(folded) if AWAY_RE.search(s) or _NO_WORK_RE.search(s)]
    spans = [d for d in facts.durations if any(d.text.lower() in clause for clause in away)]
    spans = spans or [d for d in facts.durations if not d.text.lower().startswith("since")]
    if not spans and facts.months_since_latest is not None:
        # "on Upwork since 2019 ... I stopped working, my last contract was in January 2024": the break runs from the
        # latest date told, not over the span since the asker started (85 months "since 2019"); a span told without
        # "since" ("I did not open my account almost two years") is the break itself
        months = facts.months_since_latest
        return months if months >= MIN_AWAY_MONTHS else None
    months = max(d.months for d in spans or facts.durations)
    return months if months >= MIN_AWAY_MONTHS else None


_NO_WORK_RE = re.compile(
    r"\b(?:i|we)\s+(?:do|did|will|would|can|could|have|had)\s+not\s+(?:work\w*|visit\w*|log\w*\s+in|use\w*|take\s+(?:any\s+)?(?:work|jobs?))\b"
    r"|\b(?:without|no)\s+(?:any\s+)?(?:work|working|jobs?|contracts?|activity)\s+for\b"
    # "taking 8 months off", "a year off", "going offline for 2 and a half months"
    r"|\b(?:take|takes|taking|took)\s+(?:\w+\s+){0,3}?off\b|\b(?:weeks?|months?|years?)\s+off\b"
    r"|\bgo(?:ing|es)?\s+offline\b|\boffline\s+for\b"
)
"""Time without work told in words the away test does not read as an absence ("if I don't work for a year", "taking 8
months off")."""


def job_months(folded: str, facts: Facts | None = None) -> float | None:
    """The span told as the length of a job whose pay is told in the same clause (see `Cues.job_months`): "over 14
    months", "for 6 months", "a 6-month contract", "over 2 years"; not a span back in time ("a $500 job 14 months
    ago"). A span told as time on the contract ("8 months on an hourly contract, about $22k billed") may have its pay
    in the next clause of the sentence. Without such a span, a contract or client told "since" a day, in a sentence
    that tells the pay ("an hourly contract with one client since May 12, 2025, about $2,800 paid"), has run from that
    day (`facts`' "since" span, counted to the day asked); "on Upwork since 2019" is the asker's time, not a job's."""
    told = _told_job_months(folded)
    if told is not None or facts is None:
        return told
    spans = [(fold(d.text), d.months) for d in facts.durations if d.text.lower().startswith("since")]
    for sentence in SENTENCE_RE.findall(folded):
        if not spans or not extract_amounts(sentence)[0]:
            continue
        for text, months in spans:
            at = sentence.find(text)
            if at > 0 and _JOB_BEFORE_SINCE_RE.search(sentence[max(0, at - 60) : at]):
                return months
    return None


_JOB_BEFORE_SINCE_RE = re.compile(r"\b(?:contract|client|job|project|retainer)s?\b(?:\s+[\w'’$,.]+){0,4}?\s*$")
"""The words before a "since" span that make it a contract's or client's ("an hourly contract with one client since
may 12, 2025", "working with this client since march 2025"), in the folded text; not "on upwork since 2019"."""


def _told_job_months(folded: str) -> float | None:
    """The job's length told as a span (see `job_months`)."""
    for sentence in SENTENCE_RE.findall(folded):
        paid_sentence = bool(extract_amounts(sentence)[0])
        for clause in _CLAUSE_RE.findall(sentence):
            told = _JOB_LENGTH_RE.search(clause)
            if told is None and paid_sentence:
                # "$14,000, 7 months, hourly": a span alone in its clause beside the pay is the job's length
                told = _BARE_LENGTH_RE.match(clause)
            if told is None or not (extract_amounts(clause)[0] or (paid_sentence and told.group("n3"))):
                continue
            groups = told.groupdict()
            number = groups.get("n") or groups.get("n2") or groups["n3"]
            unit = groups.get("unit") or groups.get("unit2") or groups["unit3"]
            return float(number) * (12.0 if unit.startswith("y") else 1.0)
    return None


_JOB_LENGTH_RE = re.compile(
    r"\b(?:over|for|lasting|lasted|ran|during|across)\s+(?:about\s+|around\s+|almost\s+|nearly\s+)?(?P<n>\d+(?:\.\d+)?)\s*[-\s]?"
    r"(?P<unit>months?|years?)\b(?!\s+ago)"
    r"|\b(?P<n2>\d+(?:\.\d+)?)\s*[-\s]?(?P<unit2>months?|years?)[-\s]+(?:long\s+)?(?:hourly\s+|fixed\s+)?"
    r"(?:contract|job|project)\b"
    # "8 months on an hourly contract", "14 months into the contract"
    r"|\b(?P<n3>\d+(?:\.\d+)?)\s*[-\s]?(?P<unit3>months?|years?)\s+(?:on|into|in)\s+(?:an?\s+|the\s+|this\s+|our\s+)?"
    r"(?:hourly\s+|fixed\s+)?(?:contract|job|project)\b"
)
"""A span told as a job's length in the folded text ("6 months" folds to "6month")."""


_BARE_LENGTH_RE = re.compile(
    r"\s*(?:(?:about|around|almost|nearly)\s+)?(?P<n3>\d+(?:\.\d+)?)\s*[-\s]?(?P<unit3>months?|years?)\s*$"
)
"""A clause that is only a span ("7 months"), in a sentence that tells the job's pay."""


_LARGEST_RE = re.compile(
    r"\b(?:biggest|largest|highest|single\s+largest|most\s+expensive)\b[^.?!]{0,40}?\b(?:contracts?|jobs?|projects?)\b"
)


_WEAK_BELOW = ModelParams().good_stars_min
"""A rating under this is weak (the model's line, scoring.params): the one whose job's weight is asked about."""


def rated_job(folded: str) -> Decimal | None:
    """The amount nearest a weak star rating told in the same sentence (see `Cues.rated_job_usd`); the last such
    sentence wins, as the question comes last ("Most are $300-$800 jobs. ... how far would one 3-star on a $180 job
    drop me?"); five stars told of other jobs ("10 small gigs of $100-200, all 5 stars") are not the rating asked
    about."""
    found: Decimal | None = None
    for sentence in SENTENCE_RE.findall(folded):
        stars, star_spans = extract_stars(sentence)
        weak = next((span for star, span in zip(stars, star_spans, strict=True) if star.value < _WEAK_BELOW), None)
        if weak is None:
            continue
        amounts, spans = extract_amounts(sentence)
        nearest = min(zip(amounts, spans, strict=True), key=lambda a: abs(a[1][0] - weak[0]), default=None)
        if nearest is not None:
            found = nearest[0].value
    return found


def largest_contract(folded: str) -> Decimal | None:
    """The amount told in the sentence that names the asker's biggest contract (see `Cues.largest_contract_usd`)."""
    for sentence in SENTENCE_RE.findall(folded):
        named = _LARGEST_RE.search(sentence)
        if named is not None:
            bare = _BARE_AMOUNT_AFTER_RE.match(sentence, named.end())
            if bare is not None:  # "biggest single contract was 3200": the figure right after, with or without "$"
                value = Decimal(bare.group("n").replace(",", ""))
                return value * 1000 if bare.group("k") else value
            amounts, spans = extract_amounts(sentence)
            # the amount nearest the words that name it: "$30k earned, my largest contract was $3,000" is $3,000
            nearest = min(zip(amounts, spans, strict=True), key=lambda a: abs(a[1][0] - named.end()), default=None)
            if nearest is not None:
                return nearest[0].value
    return None


_BARE_AMOUNT_AFTER_RE = re.compile(
    r"\s*(?:(?:was|is|of|at|about|around|only|just)\s+){0,3}?[:=]?\s*\$?(?P<n>\d{1,3}(?:,\d{3})+|\d{3,7})(?:\.\d+)?"
    r"\s*(?P<k>k\b)?(?!\s*(?:%|percent|hours?|days?|weeks?|months?|years?|stars?|jobs?|contracts?|clients?)\b)"
)
"""A figure right after the words naming the biggest contract ("biggest single contract was 3200", "largest: $4,200",
"biggest contract is 12k"), folded."""
_CLAUSE_RE = re.compile(r"(?:[^.?!;,]|(?<=\d)[.,](?=\d))+")
"""A sentence's clauses: "I'm taking 8 months off, I'm Top Rated since 2 years" tells two spans, one of them away; a
thousands separator or a decimal point ("$2,000", "$4.8k") ends none."""
