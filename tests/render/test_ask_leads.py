"""The answer-first leads of /ask: every rule the service leads with has its words in ask_leads.j2, and every rule
an intent's lead is said to cover exists (a typo would let the paragraph repeat the lead without any test noticing)."""

from __future__ import annotations

from pathlib import Path

import bot.render
from bot.services.ask_leads import (
    ANY_INTENT_VARIANTS,
    CLIENT_RULE_LEADS,
    LEAD_COVERS,
    LEAD_INTENTS,
    LEAD_VARIANTS,
    OWN_WORDS_RULES,
    RULE_LEADS,
)
from scoring.catalogue import load_catalogue

LEADS_TEMPLATE = Path(bot.render.__file__).parent / "templates" / "ask_leads.j2"


def test_every_rule_lead_has_its_words() -> None:
    source = LEADS_TEMPLATE.read_text(encoding="utf-8")
    for rule in RULE_LEADS:
        assert f'rule == "{rule}"' in source, rule


def test_covered_and_led_rules_are_catalogue_rules() -> None:
    catalogue = load_catalogue()
    variants = {v for vs in LEAD_VARIANTS.values() for v in vs} | set(CLIENT_RULE_LEADS.values()) | ANY_INTENT_VARIANTS
    assert set(LEAD_COVERS) <= LEAD_INTENTS | variants
    ids = {*RULE_LEADS, *OWN_WORDS_RULES, *(r for rs in [*LEAD_COVERS.values(), *RULE_LEADS.values()] for r in rs)}
    for rule in ids:
        catalogue.get(rule)  # raises for an unknown id
    assert not set(RULE_LEADS) & OWN_WORDS_RULES


def test_every_client_lead_has_its_words() -> None:
    """A client's lead chosen by the rule cited first (CLIENT_RULE_LEADS) exists in ask.md.j2, and its rules too."""
    source = (LEADS_TEMPLATE.parent / "ask.md.j2").read_text(encoding="utf-8")
    catalogue = load_catalogue()
    for rule, key in CLIENT_RULE_LEADS.items():
        catalogue.get(rule)
        assert f'"{key}":' in source, key
