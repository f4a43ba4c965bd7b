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
from typing import TYPE_CHECKING, Any

from bot.qa.normalize import fold
from bot.qa.story import drop_told
from bot.render import Answer
from scoring import engine
from scoring.catalogue import load_catalogue
from scoring.dates import add_months
from scoring.model import Contract
from scoring.params import ModelParams

from .ask_figures import (
    age_out_stages,
    away_span,
    bad_outcome_end,
    compared_jobs,
    days_left,
    dormancy_dates,
    feedback_window,
    few_jobs,
    job_weight,
    jobs_done,
    jss_told,
    largest_contract,
    last_work,
    one_bad_ahead,
    one_weak_among_few,
    paid_on_zero,
    several_contracts,
    star_average_told,
    waited,
    weak_outcomes,
    weeks_short_until,
    window_figures,
)
from .ask_leads import (
    INTENT_LEADS_ALSO,
    LEAD_COVERS,
    LEAD_INTENTS,
    OWN_WORDS_RULES,
    PLAIN_LEAD_UNFIT,
    RULE_LEADS,
    client_lead,
    figure_variant,
    lead_key,
    refund_threat,
    story_lead,
)
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
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])")


_ID_REFERENCE = re.compile(r"\s*\((?:see\s+)?[A-Z]{1,2}-[A-Z0-9-]+(?:,\s*[A-Z]{1,2}-[A-Z0-9-]+)*\)")
"""A cross-reference such as "(see W-TRENDING)" in a statement: the answer's sources carry the ids instead."""


def _sentence_list(text: str, count: int) -> list[str]:
    """The first `count` sentences of a catalogue statement (our own wording, so sentence ends are regular),
    without cross-references to other rule ids."""
    return _SENTENCE_END.split(_ID_REFERENCE.sub("", text).strip())[:count]


def _sentences(text: str, count: int) -> str:
    """`_sentence_list` as one paragraph."""
    return " ".join(_sentence_list(text, count))


def _carry_asked(u: Understanding, as_of: date) -> bool:
    """The asker tells a poor review, the day its contract ended, and asks how long it keeps counting
    (`Cues.carry_asked`): a month alone, or another day told first, would date the wrong outcome."""
    return u.story.feedback in ("negative", "mixed") and u.cues.carry_asked and bad_outcome_end(u, as_of) is not None


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
        use_lead = u.intent in LEAD_INTENTS and (
            first is None
            or u.intent in rule_intents().get(first, ())
            or first in INTENT_LEADS_ALSO.get(u.intent or "", ())
        )
        statement = _sentence_list(statements[first], LEAD_SENTENCES) if first else []
        direct = " ".join(statement)
        # a myth whose correcting rule is cited first is answered by it: not said again under "Folklore check"
        myths = [_sentences(statements[r], RULE_SENTENCES) for r in u.myths if r != first or u.intent == "myth_check"]
        rule_lead = None
        # the asker's side and story, whatever the intent
        key = client_lead(first, u, direct) or story_lead(first, u, catalogue, as_of)
        if key is not None:
            use_lead = False
        elif use_lead and u.intent == "myth_check" and myths:
            # A folklore question is answered by the correction itself, not repeated under "Folklore check".
            direct, myths, use_lead = myths[0], myths[1:], False
        elif first in RULE_LEADS or first in OWN_WORDS_RULES:
            # The narrower rule cited first answers what was asked; the intent's lead answers its main question.
            rule_lead, use_lead = (first if first in RULE_LEADS else None), False
        if key is None and use_lead and u.intent:
            key = lead_key(u.intent, u, catalogue)
            if key == u.intent and first in PLAIN_LEAD_UNFIT.get(key, ()):
                key, use_lead = None, False  # the rule's own words answer (see PLAIN_LEAD_UNFIT)
        if key is None and rule_lead is None and first is not None and first not in OWN_WORDS_RULES:
            key = figure_variant(rule_intents().get(first, frozenset()), u, catalogue)
        covered = (
            RULE_LEADS.get(rule_lead or "", ())
            + LEAD_COVERS.get(key or "", ())
            + (LEAD_COVERS.get(u.intent or "", ()) if use_lead else ())
        )
        if first in u.myths and (use_lead or key is not None) and first not in covered and u.intent != "myth_check":
            # "Do you need to earn $1k before you get a JSS? I've done 4 jobs for one client": the intent's lead answers
            # the situation ("a JSS needs 2 ... jobs for a client already counted do not make up the 2"), and the
            # claim asked about is still corrected under "Folklore check", by the rule cited first
            myths = [_sentences(statements[first], RULE_SENTENCES), *myths]
        # the threat lead already says a review left under threat can be removed (FB-REPORT)
        shown = {*u.myths, *([first] if first else []), *covered, *(["FB-REPORT"] if refund_threat(first, u) else [])}
        # The asker's numbers take room: a further question is then answered in one sentence.
        sentences = 1 if numbers else RULE_SENTENCES
        if key is None and rule_lead is None:
            # the first rule's statement leads: a myth it corrects is not said again, word for word, as folklore
            myths = [m for m in myths if m not in direct]
        claim_first = None
        if myths and (u.cues.claim_asked or u.claim_checked) and u.intent != "myth_check":
            # "Somebody told me a JSS only appears after $1000. Is it true?": the claim is what is asked, so its
            # correction comes before the lead that answers the situation
            claim_first, myths = myths[0], myths[1:]
        # "only the client can end a contract, right?": the claim checked is folklore, so the answer says No first, then
        # the correction (the claim's own, or the lead when the correcting rule is cited first)
        verdict_no = u.claim_checked and (claim_first is not None or first in u.myths)
        context = {
            "u": u,
            "claim_first": claim_first,
            "verdict_no": verdict_no,
            "title": question if len(question) <= MAX_TITLE else question[: MAX_TITLE - 1] + "…",
            "lead_key": key,
            "direct": direct,
            "rule_lead": rule_lead,
            # a rule's lead may be its own statement, in part, when the story fits it as written
            "statement": statement,
            "asks_score": u.cues.effect_asked,
            "days_left": days_left(catalogue, first, u, as_of),
            "feedback_window": feedback_window(catalogue, first, u, as_of),
            "stages": (stages := age_out_stages(catalogue, u, as_of)),
            # "how long do I carry it?" beside a dispute or a refund: the bad outcome's own days, after the lead
            "stages_asked": stages if key != "rise_again_dated" and _carry_asked(u, as_of) else None,
            "job_weight": job_weight(catalogue, u),
            "away": away_span(catalogue, u),
            "largest": largest_contract(catalogue, u),
            "jobs": jobs_done(u),
            "few_jobs": few_jobs(u),
            "waited": waited(u, catalogue),
            "several": several_contracts(u),
            "windows": window_figures(u),
            "weeks_until": weeks_short_until(catalogue, u, as_of),
            "dormancy": dormancy_dates(catalogue, first, u, as_of),
            "compared": compared_jobs(catalogue, u),
            "last_work": last_work(catalogue, u, as_of),
            "weak_read_of": weak_outcomes(catalogue, first, u),
            "star_average": star_average_told(u),
            "weak": one_weak_among_few(catalogue, u),
            "ahead": one_bad_ahead(catalogue, u) if key == "one_bad_ahead" else None,
            "paid_on_zero": paid_on_zero(catalogue, u) if key == "zero_dollar_paid" else None,
            "jss_told": jss_told(u),
            "refund_threat": refund_threat(first, u),
            # sentences restating what the answer already said are left out where it is rendered (bot.render.repeats)
            "more": [_sentences(statements[r], sentences) for r in u.also_asked if r not in shown],
            "myths": myths,
            "personal": numbers,
            # a drop the asker tells (figures, or in words; not an outcome falling out of a window): to record
            "stated_drop": u.story.direction == "down"
            and not u.story.hearsay
            and not u.cues.drop_feared
            and (u.facts.jss_from is not None or drop_told(fold(question))),
            # the rules the answer rests on: the first, those its lead puts into words, the further questions' and
            # the myths'; a rule merely ranked next is no source of what was said
            "rules": list(
                dict.fromkeys(
                    [*u.rules[:1], *(r for r in u.rules[1:SOURCE_RULES] if r in covered), *u.also_asked, *u.myths]
                )
            )
            if u.matched
            else u.rules[:SOURCE_RULES],
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
