"""Questions: the rules in plain words, the asker's own numbers only when asked privately."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.clock import FixedClock
from bot.render import Answer, OutputFormat
from bot.services import Services, build_services
from bot.store import LedgerStore
from scoring.catalogue import find_rule_ids
from tests.samples import AS_OF, FREELANCER

QA_TESTS = Path(__file__).resolve().parents[1] / "qa"
MAX_VISIBLE = 1500
LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]+\)")
DISCLAIMER = "does not publish its JSS formula"


async def test_ask_personal_and_public(loaded: Services) -> None:
    question = "my client went silent, should I close the contract?"
    personal = await loaded.questions.ask("u1", question)
    assert personal.data["jss"] is not None
    assert "With your numbers" in [f.name for f in personal.fields]
    public = await loaded.questions.ask("u1", question, personal=False)
    assert "jss" not in public.data
    assert "With your numbers" not in [f.name for f in public.fields]
    assert public.data["answer"] and public.data["rules"] == personal.data["rules"]


async def test_ask_about_one_contract_by_name(loaded: Services) -> None:
    answer = await loaded.questions.ask(
        "u1", "should I close the Landing page A/B tests contract? the client is silent"
    )
    advice = answer.data.get("advice")
    assert advice == {"contract": "silent-client", "verdict": "close_now"}
    numbers = {f.name: f.value for f in answer.fields}["With your numbers"]
    assert numbers.startswith(f"Estimated JSS today: {answer.data['jss']}%. For silent-client: close now (idle ")
    assert "look again" not in numbers  # "close now" and a later look-again day said two things at once
    assert numbers.endswith("advise silent-client` has the details."), numbers  # a command the user can run


async def test_personal_numbers_per_intent(loaded: Services) -> None:
    """The engine's numbers put into words by ask.md.j2, one sentence per fact the intent asks for."""
    asks = loaded.questions.ask
    cases = {
        "why did my score drop?": (
            "score_drop",
            "Estimated JSS today: 81%. If nothing else changes: 93% in 3 months, 81% in 6 months, 73% in 12 "
            "months. Next change: 2026-03-03, scraper (leaves window 12m), 81%\u00a0\u2192\u00a093%. "
            "You said your score dropped: record what Upwork shows with `jss-advisor record`, and "
            "`jss-advisor why` explains the next move cause by cause.",
        ),
        "how much would a 1 star review on a $800 job hurt my score?": (
            "bad_feedback_impact",
            "Estimated JSS today: 81%. A $800 job rated 1 stars ending today would move your estimate to 69%.",
        ),
        "how long until I get top rated back?": (
            "top_rated",
            "Estimated JSS today: 81%. Eligible weeks: 12 of 16; score and weeks requirements met in about 15 weeks.",
        ),
    }
    for question, (intent, sentences) in cases.items():
        answer = await asks("u1", question)
        assert answer.data["intent"] == intent
        assert {f.name: f.value for f in answer.fields}["With your numbers"] == sentences


async def test_a_long_lead_is_shown_whole(services: Services) -> None:
    """The product's own lead sentences are not user text: they are not cut at the user-text limit."""
    answer = await services.questions.ask(
        "nobody", "Can Upwork support remove a bad review from my JSS?", personal=False
    )
    assert answer.data["intent"] == "remove_feedback"
    assert "the client can change their public feedback if you enable editing for them." in answer.description
    assert "…" not in answer.description


# --- answers a regular would give (issue 15) -------------------------------------------------------------


def _visible(answer: Answer) -> str:
    """What a Discord reader sees: title, lead, fields, the sources with each link shown as its text, footer."""
    parts = [answer.title, answer.description, *(f"{f.name}\n{f.value}" for f in answer.fields)]
    if answer.sources is not None:
        sources = LINK_RE.sub(r"\1", answer.sources.value)
        parts.append(f"{answer.sources.name}\n{sources}")
    return "\n".join([*parts, answer.footer or ""])


def _prose(answer: Answer) -> str:
    """The answer without its sources: where rule ids should not appear."""
    return "\n".join([answer.description, *(f.value for f in answer.fields)])


async def _discord(store: LedgerStore) -> Services:
    services = build_services(store, OutputFormat.DISCORD, clock=FixedClock.on(AS_OF))
    await services.ledger.import_ledger("u1", FREELANCER.read_bytes())
    return services


async def test_answers_stay_short_and_keep_ids_in_the_sources(store: LedgerStore) -> None:
    """Every held-out question, asked with a ledger and in public: at most 1,500 visible characters, no rule id in
    the prose (the sources list is the one place for them), the model disclaimer at most once and only under an
    answer that shows an estimate."""
    services = await _discord(store)
    path = QA_TESTS / "heldout_questions.jsonl"
    questions = [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for question in questions:
        for personal in (True, False):
            answer = await services.questions.ask("u1", question, personal=personal)
            text = _visible(answer)
            assert len(text) <= MAX_VISIBLE, (len(text), question)
            assert not find_rule_ids(_prose(answer)), (find_rule_ids(_prose(answer)), question)
            assert text.count(DISCLAIMER) <= 1, question
            if not personal:
                assert DISCLAIMER not in text, question


async def test_the_direct_answer_comes_first(services: Services) -> None:
    """A question the rule answers without an intent's lead gets that rule's own words first, not a preamble."""
    answer = await services.questions.ask(
        "nobody", "the client ended the fixed price job and sent me a request to return the escrow. accept?", False
    )
    assert answer.data["rules"][0] == "C-ESCROW-REFUND"
    assert answer.description.startswith("If a client ends a fixed-price contract paying less than the escrow")
    assert len(re.findall(r"[.!?](?:\s|$)", answer.description)) <= 3


async def test_a_stated_drop_offers_record_and_why(store: LedgerStore) -> None:
    services = await _discord(store)
    answer = await services.questions.ask("u1", "my jss dropped from 96 to 90 this week, why?")
    numbers = {f.name: f.value for f in answer.fields}["With your numbers"]
    assert "`/jss record`" in numbers and "`/jss why`" in numbers
    hearsay = await services.questions.ask(
        "u1", "my friend's jss dropped after he closed contracts. should I close mine?"
    )
    assert "/jss record" not in _visible(hearsay)


async def test_the_follow_up_question_comes_right_after_the_direct_answer(services: Services) -> None:
    """The one missing fact is asked next to the answer it changes, before any folklore or rule details."""
    answer = await services.questions.ask(
        "nobody",
        "the client ended our contract this morning, and I heard jss counts 48 months of history. "
        "will the ending hurt me?",
        personal=False,
    )
    assert answer.data["follow_up_fact"] == "feedback"
    assert answer.description.endswith("To be more precise: Did the client leave feedback, and how many stars?")
    fields = {f.name: f.value for f in answer.fields}
    assert "Folklore check" in fields and "To be more precise" not in fields["Folklore check"]
    assert "48-month" in fields["Folklore check"]
