"""Every fact a follow-up question can ask about has its question in the `ask` template (the sentences live
there, not in bot/qa), so a new fact without a sentence fails here instead of in front of a user."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.render
from bot.qa.follow_up import FOLLOW_UP_FACTS

ASK_TEMPLATE = Path(bot.render.__file__).parent / "templates" / "ask.md.j2"


@pytest.mark.parametrize("fact", sorted(FOLLOW_UP_FACTS))
def test_every_follow_up_fact_has_its_question(fact: str) -> None:
    source = ASK_TEMPLATE.read_text(encoding="utf-8")
    line = next((ln for ln in source.splitlines() if ln.strip().startswith(f'"{fact}":')), None)
    assert line is not None and line.rstrip().rstrip(",").endswith('?"'), f"no question for {fact!r} in ask.md.j2"


def test_every_intent_with_a_lead_has_its_sentence() -> None:
    """The service leads with the intent's sentence (LEAD_INTENTS); a missing one would fail at render time."""
    from bot.qa.data import load_qa_data
    from bot.services.ask_leads import LEAD_INTENTS

    source = ASK_TEMPLATE.read_text(encoding="utf-8")
    assert LEAD_INTENTS == set(load_qa_data().intents)
    for intent in LEAD_INTENTS:
        assert f'  "{intent}": "' in source, intent


def test_every_lead_variant_has_its_sentence() -> None:
    """The service picks a variant of an intent's lead from the asker's story (LEAD_VARIANTS)."""
    from bot.services.ask_leads import LEAD_INTENTS, LEAD_VARIANTS

    source = ASK_TEMPLATE.read_text(encoding="utf-8")
    assert set(LEAD_VARIANTS) <= LEAD_INTENTS
    for key in (k for keys in LEAD_VARIANTS.values() for k in keys):
        assert f'  "{key}": ' in source, key
