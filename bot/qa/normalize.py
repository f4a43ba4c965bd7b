"""Text normalisation and tokenisation shared by retrieval and intent detection.

Freelancers write "job success", "JSS", "my score", "TR badge", "3★", "$0 contract" and misspell
freely. Both the index (paraphrases, keywords, rule text) and the questions go through the same
pipeline so that these variants meet on one token. Everything here is pure and offline: a small
hand-written stemmer instead of a downloaded one, and a synonym table written from the catalogue's
vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

MAX_QUESTION_CHARS = 2000
"""Questions are truncated to this many characters: bounds the cost of every regex and lookup."""


def _mark_change(match: re.Match[str]) -> str:
    """ "from 96 to 91" says "dropped" without the word; add it so cues and retrieval see the direction."""
    before, after = float(match.group("a")), float(match.group("b"))
    word = "dropped" if after < before else "rose" if after > before else ""
    return f"{match.group(0)} {word} "


# Phrase-level rewrites applied to lower-cased text before tokenising. Order matters: longer phrases
# first, so "top rated plus" is not eaten by "top rated". The rewritten words ("jss", "toprated",
# "zerodollar", "24month", ...) are single tokens, so they also read well in the cue regexes.
_PHRASES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"[\u2018\u2019\u201b\u2032`´]", "'"),
        (r"[\u201c\u201d\u201e\u2033]", '"'),
        (r"[\u2013\u2014\u2212]", "-"),
        (
            r"(?:\bfrom\s+|(?<![\w.$]))(?P<a>100|\d{2}(?:\.\d+)?)\s*%?\s*(?:(?:down\s+|up\s+|all\s+the\s+way\s+)?to"
            r"|->|→|=>)\s*(?P<b>100|\d{2}(?:\.\d+)?)(?:\s*%|(?=\s*(?:$|[^\w\s$%]|\s+(?:overnight|now|in|after|with|and|but|because|today|yesterday|since|last|this)\b)))",
            _mark_change,
        ),
        (r"(\d)\s*(?:[★⭐✩☆]+|\*(?!\*))", r"\1 star "),
        (r"[★⭐]", " star "),
        (r"\bjob\s*-?\s*success(?:\s+scores?|\s+rates?|\s+ratings?)?\b", " jss "),
        (r"\bjss\s+(?:scores?|ratings?|rates?)\b", " jss "),
        (r"\bw/o\b|\bw/out\b", " without "),
        (r"\bj\.s\.s\.?", " jss "),
        (r"\btop[\s-]*rated[\s-]*plus\b|\btrp\b|\btr\+|\btr[\s-]*plus\b", " trplus "),
        (r"\btop[\s-]*rated\b|\btr\s+(?:badge|status)\b", " toprated "),
        (r"\brising[\s-]*talent\b|\brt\b", " risingtalent "),
        (r"\bexpert[\s-]*vetted\b|\bev\s+badge\b", " expertvetted "),
        (
            r"\bfixed[\s-]*(?:price|rate|budget|fee)d?\b|\bfp\b|\bfixed(?=\s+(?:jobs?|contracts?|projects?|gigs?|milestones?)\b)",
            " fixedprice ",
        ),
        (r"\b(?:go|goes|going|gone|went|fade[sd]?)\s+away\b", " disappear "),
        (
            # a comma ends the amount unless a digit follows ("$2,000, 2 stars" is $2,000, not "$2,000, usd 2")
            r"(?<![\w.])(?:us)?\$\s*(?:[1-9](?:\d|,(?=\d))*(?:\.\d+)?|0\.\d*[1-9])\s*k?\b|\b\d[\d,]*(?:\.\d+)?\s*(?:usd|dollars?|bucks)\b",
            r"\g<0> usd ",
        ),
        (r"\bper[\s-]hour\b|\bhourly[\s-]rate\b", " hourly "),
        (r"\bterms\s+of\s+service\b|\btos\b", " tos "),
        (
            r"\b(?:maternity|paternity|parental|sick|medical)\s+leave\b|\bon\s+leave\b|\btime\s+off\b"
            r"|\btake\s+a\s+break\b|\bstep(?:ping)?\s+away\b",
            " away ",
        ),
        (  # hiding the profile is time away, not private feedback
            r"\b(?:make|set|switch|turn|put|change)\w*\s+(?:my\s+|the\s+)?profile\s+(?:to\s+|as\s+|into\s+)?private\b"
            r"|\bprofile\s+(?:to\s+)?private\b|\bprivate\s+profile\b",
            " away hiddenprofile ",
        ),
        (r"\blong[\s-]*term\b|\bongoing\b|\bretainer\b", " longterm "),
        (r"\bshort[\s-]*term\b", " shortterm "),
        (r"\bmid[\s-]*contract\b", " midcontract "),
        (r"\bdouble[\s-]*blind(?:ed)?\b", " doubleblind "),
        (
            r"(?<![\w.,])(?:us)?\$\s*0+(?:\.0+)?(?![\d.,]*\d)|\bzero[\s-]*dollars?\b|\b0\s*(?:usd|dollars?)\b"
            r"|\bnothing\s+(?:was\s+|has\s+been\s+|got\s+)?(?:ever\s+)?(?:paid|earned|billed|funded)\b"
            r"|\bnever\s+(?:been\s+|got\s+|gotten\s+)?(?:paid|funded)\b(?!\s+(?:\w+\s+)?(?:bonus|tip)\b)|\bunpaid\b|\bnot\s+(?:a\s+)?(?:single\s+)?(?:cent|penny|dime)\b"
            r"|\bdid\s*n[o']?t\s+pay\s+(?:me\s+)?(?:anything|a\s+thing)\b"
            r"|\bno\s+(?:money|earnings?)\s+(?:at\s+all|ever)\b",
            " zerodollar ",
        ),
        (
            r"\b(?:24|twenty[\s-]*four)[\s-]*(?:months?|mos?)\b|\btwo[\s-]*years?\b|\b2[\s-]*(?:years?|yrs?)\b",
            " 24month ",
        ),
        (
            r"\b(?:48|forty[\s-]*eight)[\s-]*(?:months?|mos?)\b|\bfour[\s-]*years?\b|\b4[\s-]*(?:years?|yrs?)\b",
            " 48month ",
        ),
        (r"\b(?:12|twelve)[\s-]*(?:months?|mos?)\b|\b(?:one|1|a)[\s-]*(?:years?|yrs?)\b", " 12month "),
        (r"\b(?:6|six)[\s-]*(?:months?|mos?)\b|\bhalf\s+a\s+year\b", " 6month "),
        (r"\b(?:3|three)[\s-]*(?:months?|mos?)\b", " 3month "),
        (r"\b(?:90|ninety)[\s-]*days?\b|\bquarter(?:ly|s)?\b", " 90day "),
        (r"\b(?:14|fourteen)[\s-]*days?\b|\b(?:two|2)[\s-]*weeks?\b|\bbi-?weekly\b|\bfortnight(?:ly)?\b", " 14day "),
        (r"\b(?:16|sixteen)[\s-]*weeks?\b|\b13\s*(?:/|of|out\s+of)\s*16\b", " 16week "),
        (
            r"\bno[\s-]*feedback\b|\bwithout\s+(?:any\s+)?(?:feedback|reviews?|ratings?)\b"
            r"|\bno\s+reviews?\b|\bno\s+ratings?\b|\bnever\s+(?:left|gave|leaves?)\s+(?:any\s+)?(?:feedback|reviews?)\b",
            " nofeedback ",
        ),
        (r"\bwon'?t\b", " will not "),
        (r"\bcan'?t\b|\bcannot\b", " can not "),
        (r"n't\b|\b(do|does|did|has|have|had|is|are|was|were|would|should|could)nt\b", r"\1 not "),
        (r"'(?:s|ve|re|ll|d|m)\b", " "),
    )
)

_TOKEN_RE = re.compile(r"[a-z0-9]+")

_KEPT_NUMBERS: frozenset[str] = frozenset("2 3 6 7 8 10 12 13 14 16 24 30 48 76 83 89 90 100 180 250 1000".split())
"""Numbers that name a rule's threshold or window; other numbers (amounts, years) are noise for BM25."""

STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by could did do does doing during each few for from further had has have
    having he her here hers herself him himself his i if in into is it its itself just me more most my
    myself nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why with would you your yours
    yourself yourselves will shall can may might must let lets get got gets getting go going gone went
    im ive id ill hi hello hey thanks thank please pls plz guys anyone someone anybody somebody everyone
    know think thought wonder wondering question ask asking help really actually like ok okay yes yeah
    still even much many lot lots thing things something anything way how upwork freelancer freelancers
    u ur r ya gonna wanna gotta kinda sorta etc one since ever literally basically totally completely
    exactly simply currently""".split()
)
"""Function words plus chat filler. Negations that change meaning ("no", "never", "without") are
kept and folded into "no"; "upwork" is dropped because every question is about Upwork."""

# Canonical token for words that freelancers use interchangeably. Keys are plain words; at import
# time each word is also registered under its stem, so "vanished" and "vanishes" fold like "vanish".
_SYNONYM_GROUPS: dict[str, tuple[str, ...]] = {
    "jss": ("score", "scores", "jsss", "js", "percentage", "percent"),
    "no": ("never", "without", "none"),
    "clos": ("close", "end", "terminate", "cancel", "shut", "finalize", "finalise"),
    "leav": ("leave", "left", "leaving", "leaves", "give", "gave", "given", "giving", "submit"),
    "unresponsive": (
        "ghost",
        "vanish",
        "silent",
        "silence",
        "mia",
        "disappear",
        "ignore",
        "awol",
        "respond",
        "responsive",
        "response",
        "reply",
        "unreachable",
    ),
    "drop": ("drop", "fell", "fall", "decrease", "lower", "tank", "plummet", "dip", "decline", "reduce", "down"),
    "hurt": ("hurt", "harm", "damage", "penalize", "penalise", "punish", "ruin", "kill", "penalty"),
    "affect": ("affect", "impact", "influence"),
    "rise": (
        "rise",
        "raise",
        "increase",
        "recover",
        "improve",
        "climb",
        "rebound",
        "bounce",
        "regain",
        "restore",
        "boost",
    ),
    "feedback": ("review", "rating", "rate", "testimonial", "feedbacks"),
    "payment": ("money", "pay", "paid", "payout", "payment", "billed", "bill", "invoice"),
    "earning": ("earn", "earning", "income", "revenue"),
    "usd": ("dollar", "buck", "usd"),
    "refund": ("refund", "chargeback", "reimburse", "reimbursement"),
    "escrow": ("escrow", "fund", "deposit", "funded"),
    "disput": ("dispute", "arbitration", "mediation", "arbitrate"),
    "client": ("customer", "buyer", "employer"),
    "job": ("gig", "project", "task", "order", "work", "job"),
    "contract": ("agreement", "contract", "offer"),
    "month": ("mo", "mos", "monthly", "month"),
    "week": ("wk", "wks", "weekly", "week"),
    "year": ("yr", "yrs", "annual", "year"),
    "day": ("daily", "everyday", "day"),
    "away": ("vacation", "holiday", "hiatus", "break", "sabbatical", "absent", "offline", "travel"),
    "updat": ("update", "recalculate", "refresh", "recompute", "recalc", "recalculation"),
    "inactiv": ("idle", "stale", "abandon", "inactive", "inactivity", "unused"),
    "dormant": ("dormant", "dormancy"),
    "activ": ("activity", "active"),
    "toprated": ("tr",),
    "badge": ("badge",),
}


def _stem(word: str) -> str:
    """Strip common English inflections so "closing", "closed" and "closes" share "clos".

    Deliberately tiny (no Porter tables): the same function runs on both sides, so only consistency
    matters, and a stem keeps at least 3 letters so short words do not collapse together.
    """
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        word = word[:-2]
    else:
        for suffix in ("ingly", "edly", "ing", "ed", "ly", "s"):
            if not word.endswith(suffix):
                continue
            keep = len(word) - len(suffix)
            if keep < (4 if suffix == "ly" else 3) or (suffix == "s" and word.endswith(("ss", "us", "is"))):
                break
            word = word[:keep]
            if suffix not in ("s", "ly") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


_SYNONYMS: dict[str, str] = {}
for _canon, _words in _SYNONYM_GROUPS.items():
    for _word in _words:
        _SYNONYMS.setdefault(_word, _canon)
        _SYNONYMS.setdefault(_stem(_word), _canon)


@lru_cache(maxsize=8192)
def canonical(token: str) -> str:
    """Stem one raw token and fold synonyms; cached because questions reuse a small vocabulary."""
    if token in _SYNONYMS:
        return _SYNONYMS[token]
    stem = _stem(token)
    return _SYNONYMS.get(stem, stem)


def fold(text: str) -> str:
    """Truncate, NFKC-normalise, lower-case and apply the phrase rewrites: what cue regexes see."""
    text = unicodedata.normalize("NFKC", text[:MAX_QUESTION_CHARS]).lower()
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()


def tokens(text: str, *, folded: bool = False) -> list[str]:
    """Index/query tokens: folded text split on non-alphanumerics, stop words out, stems + synonyms in."""
    if not folded:
        text = fold(text)
    return [
        canonical(raw)
        for raw in _TOKEN_RE.findall(text)
        if raw not in STOPWORDS and (raw in _KEPT_NUMBERS if raw.isdigit() else len(raw) > 1)
    ]
