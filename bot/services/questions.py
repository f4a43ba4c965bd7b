"""Plain-English questions: the matching rules in plain words, with the asker's own numbers when they
have a ledger (never for public forum posts).

`bot.qa` (question understanding: a BM25 index over the rule catalogue) is imported on the first
question, so commands that never ask one (score, advise) do not load it. The personal numbers are engine
work: `personal_numbers` runs through `ctx.compute` (a worker process in the bot).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from bot.render import Answer
from scoring import engine
from scoring.catalogue import Catalogue, load_catalogue
from scoring.dates import add_months
from scoring.model import Contract
from scoring.params import ModelParams

from .context import ServiceContext

if TYPE_CHECKING:
    from bot.qa.understand import Understanding

MAX_QUESTION = 2000
MAX_TITLE = 120
PERSONAL_INTENTS = {
    "close_or_not",
    "score_drop",
    "rise_again",
    "away_inactive",
    "top_rated",
    "no_score_yet",
    "bad_feedback_impact",
    "stagger_closing",
    "dormant_fixed",
    "long_term_contract",
    "zero_dollar",
}
HYPOTHETICAL_AMOUNT = Decimal(500)  # "how much would a bad review cost?" with no amount given
LEAD_INTENTS = frozenset(
    {
        *PERSONAL_INTENTS,
        *("update_cadence", "refund", "dispute", "private_feedback", "remove_feedback", "no_feedback"),
        *("small_contract", "improve_score", "score_vanished", "ended_contract", "myth_check"),
    }
)
"""Intents with a lead sentence in ask.md.j2 (a test checks the template has one for each)."""
LEAD_VARIANTS: dict[str, tuple[str, ...]] = {
    "score_drop": ("score_rise", "score_drop_good_review", "score_drop_after_closing"),
    "top_rated": ("top_rated_get", "top_rated_plus"),
    "refund": ("refund_full", "refund_partial"),
    "zero_dollar": ("zero_dollar_billing", "zero_dollar_ended"),
    "rise_again": ("rise_again_dated",),
    "bad_feedback_impact": ("bad_feedback_sized",),
}
"""Intents whose lead has variants for what the asker told (`_lead_key`): a score that rose is not explained as a
drop, a drop right after five stars or after closing contracts is explained from that, Top Rated's loss is not
the answer to how to get it, a full refund is not answered with a partial one, billing a few minutes is answered when
asked, a $0 contract that already ended is not told it is safe to close, a bad review's cost is told with the job's
size when the asker gives it (a test checks each has words)."""
LEAD_COVERS: dict[str, tuple[str, ...]] = {
    "close_or_not": ("X-NO-FEEDBACK", "C-SELF-CLOSE-2MO"),
    "score_drop": ("W-AGE-OUT",),
    "update_cadence": ("W-CADENCE-CURRENT", "W-CADENCE-LEGACY", "T-2024-09-INSIGHTS"),
    "rise_again": ("W-AGE-OUT",),
    "away_inactive": ("W-INACTIVITY",),
    "top_rated": ("B-TR-LOSS",),
    "refund": ("X-REFUND", "X-ZERO-NEGATIVE", "X-ZERO-POSITIVE"),
    "dispute": ("X-DISPUTE", "L-DISPUTE"),
    "no_score_yet": ("E-CURRENT", "E-RISING"),
    "dormant_fixed": ("C-FP-AUTO-RELEASE", "C-FP-DORMANT", "C-FP-OPTOUT"),
    "bad_feedback_impact": ("F-PUBLIC-EMPHASIS", "WT-BAD-BIG"),
    "private_feedback": ("F-PRIVATE-FB", "T-FORM-CHANGE", "WT-PRIVATE-VS-PUBLIC"),
    "long_term_contract": ("WT-LONG-TERM", "C-HOURLY-INACTIVE", "L-NEW-CONTRACT-PER-PROJECT"),
    "stagger_closing": ("L-STAGGER", "C-CLOSE-ADVICE"),
    "zero_dollar": ("X-ZERO-POSITIVE", "X-ZERO-NEGATIVE"),
    "remove_feedback": ("FB-REPORT", "X-REMOVAL-PERK", "FB-EDIT", "FB-RESPOND"),
    "no_feedback": ("X-NO-FEEDBACK", "FB-14DAYS", "FB-LATE"),
    "small_contract": ("WT-EARNINGS-TIERS", "WT-BAD-BIG"),
    "improve_score": ("F-POSITIVE", "W-WINDOWS"),
    "score_vanished": ("W-INACTIVITY",),
    "ended_contract": ("FB-WHO-ENDS", "FB-14DAYS", "X-NO-FEEDBACK"),
}
"""The rules each intent's lead in ask.md.j2 already puts into words: not said again as the answer to a further
question of the post (the 14-day window said twice, the dispute lead's forum report again). Still cited as sources."""
LEAD_SENTENCES = 3
"""The direct answer, when it is a rule's statement, is its first sentences: one to three, then the details."""
RULE_SENTENCES = 2
"""Sentences of a rule's statement that answer a further question of the post, or correct a myth it repeats.

Only those are put into words after the direct answer. Rules merely ranked next to the first are not (until
session 7 the next two were, as "What the rules say"): read as a freelancer would, most of those paragraphs
belonged to a neighbouring question ("you can end any contract yourself" after an escrow refund request, Top Rated
Plus after a Top Rated question). They stay cited, with a one-line title and link, among the sources."""
SOURCE_RULES = 4
"""Rules listed as sources (plus the further questions' and any folklore corrected): the first and the next ones.
Understanding ranks up to six; the last ones are context a reader does not follow up."""
RULE_LEADS: dict[str, tuple[str, ...]] = {
    "FB-14DAYS": ("X-NO-FEEDBACK", "FB-LATE"),
    "FB-LATE": ("X-NO-FEEDBACK", "FB-14DAYS"),
    "FB-WHO-ENDS": ("FB-14DAYS",),
    "C-OPEN-INACTIVE-JSS": (),
    "C-FL-CAN-END": ("X-NO-FEEDBACK",),
    "C-ESCROW-REFUND": ("X-REFUND", "X-DISPUTE"),
    "C-PAUSED-JSS": (),
    "C-FP-AUTO-RELEASE": (),
    "B-TR-WEEKS": ("B-TR-LOSS",),
    "F-PUBLIC-EMPHASIS": (),
}
"""Rules that answer a narrower question than their intent's lead does ("can the client still leave a review
after 10 days?" is a no-feedback question, but the 14-day window answers it): when one is cited first, its own
lead in ask.md.j2 (`rule_lead`, answer first, in the asker's terms) replaces the intent's; the rules it puts
into words are not said again for a further question (a test checks the template has a lead for each)."""
OWN_WORDS_RULES = frozenset({"X-FLAGGED-CLIENT", "FB-EDIT", "X-ZERO-NEGATIVE", "E-RISING"})
"""Rules whose own statement answers the question they are cited first for better than their intent's lead
("does a suspended client's review count?" is answered by the rule, not by the dispute lead)."""
MAX_ELAPSED_DAYS = 60
"""A span longer than this in a question about a day count is not the time since its start (the job's length...)."""
DAY_COUNTS = {"FB-14DAYS": "FB-14DAYS", "FB-LATE": "FB-14DAYS", "C-FP-AUTO-RELEASE": "C-FP-AUTO-RELEASE"}
"""Rules cited first whose answer is a count of days the asker may be partway through (the feedback window after the
end, the auto-release after a milestone is submitted), and the rule whose `days` number it is."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])")


_ID_REFERENCE = re.compile(r"\s*\((?:see\s+)?[A-Z]{1,2}-[A-Z0-9-]+(?:,\s*[A-Z]{1,2}-[A-Z0-9-]+)*\)")
"""A cross-reference such as "(see W-TRENDING)" in a statement: the answer's sources carry the ids instead."""


def _sentences(text: str, count: int) -> str:
    """The first `count` sentences of a catalogue statement (our own wording, so sentence ends are regular),
    without cross-references to other rule ids."""
    return " ".join(_SENTENCE_END.split(_ID_REFERENCE.sub("", text).strip())[:count])


def _lead_key(intent: str, u: Understanding) -> str:
    """Which words of the intent's lead answer this asker (LEAD_VARIANTS), from what their story tells."""
    story = u.story
    if intent == "score_drop":
        if story.direction == "up":
            return "score_rise"
        if story.ended_by == "me" and story.feedback in (None, "positive"):
            return "score_drop_after_closing"
        if story.feedback == "positive":
            return "score_drop_good_review"
    if intent == "top_rated":
        if story.badge == "top_rated_plus" or "B-TRP" in u.rules[:2]:
            return "top_rated_plus"
        if not (story.badge_lost or story.badge_return or story.direction == "down"):
            return "top_rated_get"
    if intent == "rise_again" and _bad_outcome_start(u) is not None:
        return "rise_again_dated"
    if intent == "bad_feedback_impact" and u.facts.amounts:
        return "bad_feedback_sized"
    if intent == "zero_dollar" and u.rules[:1] == ["L-10-MINUTES"]:
        return "zero_dollar_billing"
    if intent == "zero_dollar" and story.ended_by in ("client", "upwork"):  # "should I close it?" reads as "me"
        return "zero_dollar_ended"
    if intent == "refund" and story.refund_part is not None:
        return f"refund_{story.refund_part}"
    return intent


def _bad_outcome_start(u: Understanding) -> date | None:
    """When the bad outcome the asker tells happened ("a 2-star review in March", "4 months ago"): a date, or one
    exact span back from today; None when the question gives neither, or more than one span (the job's length...)."""
    if u.facts.dates:
        return u.facts.dates[0]
    spans = u.facts.durations
    if len(spans) == 1 and not spans[0].approximate:
        return spans[0].since
    return None


class AgeOutStage(NamedTuple):
    """An outcome leaves the window of `months` around `day` (see `_age_out_stages`)."""

    months: int
    day: date


def _months_after(day: date, months: int) -> date:
    years, month = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month + 1, min(day.day, 28))


def _age_out_stages(catalogue: Catalogue, u: Understanding, as_of: date) -> dict[str, Any] | None:
    """For "a 2-star review in March, when does it stop counting?": the months its outcome leaves each window the
    score is taken from (W-TRENDING's 3-month part, then W-WINDOWS' 6, 12 and 24 months), and which of them are past.
    The contract's end, not the review, starts the count; a review comes within 14 days of it, so months are
    "around"."""
    start = _bad_outcome_start(u)
    if start is None or start > as_of:
        return None
    trending, windows = catalogue.get("W-TRENDING").numbers["months"], catalogue.get("W-WINDOWS").numbers["months"]
    if not isinstance(trending, list) or not isinstance(windows, list):
        return None
    months = sorted({int(m) for m in [min(trending), *windows]})
    stages = [AgeOutStage(m, _months_after(start, m)) for m in months]
    return {
        "start": start,
        "done": [s for s in stages if s.day <= as_of],
        "ahead": [s for s in stages if s.day > as_of],
    }


def _job_weight(catalogue: Catalogue, u: Understanding) -> dict[str, Any] | None:
    """For "1 star on a $50 job, how bad is it?": the job's weight among outcomes (WT-EARNINGS-TIERS: $1-$250 counts
    as 1 job, $251-$1,000 as 1.25, over $1,000 as 1.5) and its band, lightest to heaviest; None without an amount."""
    if not u.facts.amounts:
        return None
    numbers = catalogue.get("WT-EARNINGS-TIERS").numbers
    uppers, weights = numbers["tier_upper_usd"], numbers["tier_weights"]
    if not isinstance(uppers, list) or not isinstance(weights, list):
        return None
    amount = u.facts.amounts[0].value
    band = next((i for i, upper in enumerate(uppers) if amount <= Decimal(str(upper))), len(uppers))
    return {"amount": amount, "weight": weights[band], "band": band, "uppers": uppers, "weights": weights}


def _days_left(catalogue: Catalogue, first: str | None, u: Understanding) -> dict[str, int] | None:
    """For "can the client still leave a review after 10 days?" or "I submitted the milestone 10 days ago": the days
    the asker says have passed and the days of the rule's count left (negative once it ran out), or None when the
    question gives no span (DAY_COUNTS)."""
    if first not in DAY_COUNTS or not u.facts.durations:
        return None
    elapsed = u.facts.durations[0].days
    days = catalogue.get(DAY_COUNTS[first]).numbers["days"]
    if not isinstance(days, int) or elapsed > MAX_ELAPSED_DAYS or elapsed == days:
        return None  # "the 14 days are over" names the count itself, not the time since it started
    return {"elapsed": elapsed, "left": days - elapsed}


class QuestionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def ask(self, user_id: str, question: str, as_of: date | None = None, personal: bool = True) -> Answer:
        """A plain-English question: the matching rules in plain words, personalised when the asker has a ledger.

        `personal=False` (public forum posts) never reads the ledger, so nothing private is shown.
        """
        from bot.qa.understand import understand  # the BM25 index is built on first use

        as_of = as_of or self.ctx.today()
        question = question.strip()[:MAX_QUESTION]
        if not question:
            raise self.ctx.error("bad_input", "empty_question")
        contracts = await self.ctx.store.list_contracts(user_id) if personal else []
        # In a thread: the first question of a process loads the question index and model, never on the event loop.
        u = await asyncio.to_thread(understand, question, as_of, [(c.id, c.title, c.client) for c in contracts])
        from bot.qa.classifier import rule_intents

        catalogue = load_catalogue()
        statements = {r: catalogue.get(r).statement for r in dict.fromkeys([*u.rules, *u.also_asked, *u.myths])}
        numbers: dict[str, Any] | None = None
        if contracts and u.intent in PERSONAL_INTENTS:
            numbers = await self._personal(user_id, contracts, u, as_of)
        first = u.rules[0] if u.rules else None
        # The intent's lead answers the question when the first rule is one its questions cite first; otherwise
        # (a narrower rule won, or no intent) the first rule's own statement is the direct answer.
        use_lead = u.intent in LEAD_INTENTS and (first is None or u.intent in rule_intents().get(first, ()))
        direct = _sentences(statements[first], LEAD_SENTENCES) if first else ""
        myths = [_sentences(statements[r], RULE_SENTENCES) for r in u.myths]
        rule_lead = None
        if use_lead and u.intent == "myth_check" and myths:
            # A folklore question is answered by the correction itself, not repeated under "Folklore check".
            direct, myths, use_lead = myths[0], myths[1:], False
        elif first in RULE_LEADS or first in OWN_WORDS_RULES:
            # The narrower rule cited first answers what was asked; the intent's lead answers its main question.
            rule_lead, use_lead = (first if first in RULE_LEADS else None), False
        covered = RULE_LEADS.get(rule_lead or "", ()) + (LEAD_COVERS.get(u.intent or "", ()) if use_lead else ())
        shown = {*u.myths, *([first] if first else []), *covered}
        # The asker's numbers take room: a further question is then answered in one sentence.
        sentences = 1 if numbers else RULE_SENTENCES
        context = {
            "u": u,
            "title": question if len(question) <= MAX_TITLE else question[: MAX_TITLE - 1] + "…",
            "lead_key": _lead_key(u.intent, u) if use_lead and u.intent else None,
            "direct": direct,
            "rule_lead": rule_lead,
            "asks_score": u.story.effect_asked,
            "days_left": _days_left(catalogue, first, u),
            "stages": _age_out_stages(catalogue, u, as_of),
            "job_weight": _job_weight(catalogue, u),
            # sentences restating what the answer already said are left out where it is rendered (bot.render.repeats)
            "more": [_sentences(statements[r], sentences) for r in u.also_asked if r not in shown],
            "myths": myths,
            "personal": numbers,
            "stated_drop": u.story.direction == "down" and not u.story.hearsay,
            "rules": list(dict.fromkeys([*u.rules[:SOURCE_RULES], *u.also_asked, *u.myths])),
        }
        personal_data = {} if numbers is None else numbers["data"]
        data = {"intent": u.intent, "matched": u.matched, "confidence": round(u.confidence, 3), **personal_data}
        if u.follow_up_fact is not None:
            data["follow_up_fact"] = u.follow_up_fact
        answer = self.ctx.render("ask", context, data=data)
        answer.data["answer"] = answer.data.pop("explanation", answer.description)
        return answer

    async def _personal(
        self, user_id: str, contracts: Sequence[Contract], u: Understanding, as_of: date
    ) -> dict[str, Any]:
        """The engine's numbers on the asker's own ledger for the question's intent (see `personal_numbers`);
        only plain values travel to the worker, not the `Understanding`."""
        facts = PersonalFacts(
            intent=u.intent,
            amount=u.facts.amounts[0].value if u.facts.amounts else None,
            stars=u.facts.stars[0].value if u.facts.stars else None,
            target=next((m.contract_id for m in u.contract_matches), None),
        )
        return await self.ctx.compute(
            user_id, personal_numbers, contracts, facts, as_of, self.ctx.params, self.ctx.sim_params
        )


@dataclass(frozen=True)
class PersonalFacts:
    """What `personal_numbers` needs of an `Understanding`: the intent and the facts the question gave."""

    intent: str | None
    amount: Decimal | None
    stars: float | None
    target: str | None


def personal_numbers(
    contracts: Sequence[Contract], facts: PersonalFacts, as_of: date, params: ModelParams, sim_params: ModelParams
) -> dict[str, Any]:
    """The engine's numbers on the asker's own ledger for the question's intent: the values the "With
    your numbers" part of ask.md.j2 puts into words, and `data` for --json. Module-level with plain
    arguments so a worker process can run it."""
    result = engine.score(contracts, as_of, params)
    numbers: dict[str, Any] = {"jss": result.jss, "eligibility": None, "later": None, "next": None}
    numbers.update(top_rated=None, with_job=None, advice=None)
    data: dict[str, Any] = {"jss": result.jss}
    intent = facts.intent
    if intent == "no_score_yet" and not result.eligibility.eligible:
        numbers["eligibility"] = result.eligibility
    if intent in {"away_inactive", "rise_again", "score_drop"}:
        proj = engine.project(contracts, as_of, params, months=12)
        later = {m: proj.at(add_months(as_of, m)).jss for m in (3, 6, 12)}
        moving = proj.moving_events()
        numbers.update(later=later, next=moving[0] if moving else None)
        data["projection"] = later
    if intent == "top_rated":
        status = engine.top_rated_status(contracts, as_of, params)
        numbers["top_rated"] = status
        data["top_rated"] = {"eligible_weeks": status.eligible_weeks, "weeks_until": status.weeks_until_return}
    if intent == "bad_feedback_impact" and facts.stars is not None:
        amount = facts.amount if facts.amount is not None else HYPOTHETICAL_AMOUNT
        stars = facts.stars
        after = engine.score([*contracts, _hypothetical_job(amount, stars, as_of)], as_of, params).jss
        numbers["with_job"] = {"amount": amount, "stars": stars, "jss": after}
        data["with_that_job"] = after
    target = facts.target
    if target is None and intent in {"close_or_not", "dormant_fixed", "zero_dollar"}:
        stale = [c for c in contracts if engine.is_stale(c, as_of, params)]
        target = stale[0].id if len(stale) == 1 else None
    if target is not None:
        advice = engine.advise(contracts, target, as_of, sim_params)
        numbers["advice"] = {"contract": target, "advice": advice}
        data["advice"] = {"contract": target, "verdict": advice.verdict.value}
    numbers["data"] = data
    return numbers


def _hypothetical_job(amount: Decimal, stars: float, as_of: date) -> Contract:
    """The job the question imagines: hourly, ended today with `stars` public stars."""
    return Contract.model_validate(
        {
            "id": "hypothetical-job",
            "title": "that job",
            "client": "that client",
            "kind": "hourly",
            "status": "ended",
            "started": as_of,
            "ended": as_of,
            "last_activity": as_of,
            "last_payment": as_of,
            "earnings_usd": amount,
            "public_stars": min(5.0, max(1.0, stars)),
        }
    )
