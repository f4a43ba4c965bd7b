"""The rules catalogue: it loads, it covers every public rule id, the engine's numbers are there with
the right types, and no code or template cites a rule that does not exist."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from scoring.catalogue import (
    RULE_ID_PATTERN,
    RULE_ID_RE,
    Catalogue,
    CatalogueError,
    Confidence,
    Rule,
    Topic,
    UnknownNumberError,
    UnknownRuleError,
    cite,
    find_rule_ids,
    load_catalogue,
    parse_catalogue,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("JSS_SHARED_DIR", REPO.parent / "shared"))
SHARED_CATALOGUE = SHARED / "rules" / "CATALOGUE.md"
SHARED_EVAL = SHARED / "eval"

# In the shared catalogue, rule ids are written in bold, e.g. "**WT-EARNINGS-TIERS.**". Confidence
# labels are bold too ("**OFFICIAL-CURRENT**") but have no rule prefix, so the prefix set skips them.
BOLD_ID_RE = re.compile(r"\*\*(" + RULE_ID_RE.pattern.removeprefix(r"\b").removesuffix(r"\b") + r")\.?\*\*")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _shared_catalogue_text() -> str:
    if not SHARED_CATALOGUE.is_file():
        pytest.skip(
            f"{SHARED_CATALOGUE} not found: it comes from the project's shared folder (../shared beside "
            "the repository, or set JSS_SHARED_DIR to that folder)"
        )
    return SHARED_CATALOGUE.read_text(encoding="utf-8")


# --- loading and validation -------------------------------------------------------------------------


def test_catalogue_loads_once_and_is_cached(catalogue: Catalogue) -> None:
    assert load_catalogue() is catalogue
    assert len(catalogue) == len(catalogue.rules) == len(catalogue.ids) >= 80
    assert len(set(catalogue.ids)) == len(catalogue.ids)


def test_every_rule_is_well_formed(catalogue: Catalogue) -> None:
    for rule in catalogue.rules:
        assert re.fullmatch(RULE_ID_PATTERN, rule.id), rule.id
        assert find_rule_ids(rule.id) == [rule.id], f"{rule.id} must be findable in text"
        assert len(rule.title) <= 60 and len(rule.statement) <= 400, rule.id
        assert rule.sources, rule.id
        if rule.since and rule.until:
            assert rule.since <= rule.until, rule.id
        if rule.until is not None:
            assert not rule.current, rule.id


def test_every_topic_has_rules(catalogue: Catalogue) -> None:
    for topic in Topic:
        assert catalogue.by_topic(topic), topic
    assert catalogue.by_topic("weighting") == catalogue.by_topic(Topic.WEIGHTING)
    with pytest.raises(ValueError):
        catalogue.by_topic("no-such-topic")


def test_historical_rules_are_marked(catalogue: Catalogue) -> None:
    for rule_id in ("E-HISTORY", "X-REMOVAL-PERK", "W-CADENCE-LEGACY", "WT-LEGACY-SIZE"):
        assert catalogue.get(rule_id).current is False, rule_id
    for rule_id in ("WT-EARNINGS-TIERS", "E-CURRENT", "W-CADENCE-CURRENT", "C-FP-DORMANT"):
        assert catalogue.get(rule_id).current is True, rule_id


def test_eras(catalogue: Catalogue) -> None:
    assert catalogue.get("X-NO-FEEDBACK").since == date(2020, 11, 8)
    assert catalogue.get("X-ZERO-POSITIVE").since == date(2020, 3, 1)
    assert catalogue.get("T-2020-11-NOFB").since == date(2020, 11, 8)
    assert catalogue.get("T-2024-09-REMOVAL").since == date(2024, 9, 3)
    assert catalogue.get("T-2023-12").since == date(2023, 12, 1)
    assert catalogue.get("X-REMOVAL-PERK").until == date(2024, 9, 3)


def test_lookup_and_citation(catalogue: Catalogue) -> None:
    rule = catalogue.get("WT-EARNINGS-TIERS")
    assert "WT-EARNINGS-TIERS" in catalogue
    assert "NOPE-1" not in catalogue and 42 not in catalogue
    assert rule.confidence == "OFFICIAL-CURRENT"  # StrEnum: compares equal to the catalogue label
    assert rule.confidence is Confidence.OFFICIAL_CURRENT
    assert rule.primary_source is rule.sources[0]
    assert rule.citation == (
        "WT-EARNINGS-TIERS (Upwork Help: Job Success Score, "
        "https://support.upwork.com/hc/en-us/articles/34958134307475)"
    )
    seed = catalogue.get("C-SELF-CLOSE-2MO")
    assert seed.primary_source.url is None
    assert seed.citation == "C-SELF-CLOSE-2MO (Upwork Community thread 'JSS Score-inactive client')"
    assert [r.id for r in cite("W-24MAX", "B-TR")] == ["W-24MAX", "B-TR"]


def test_model_assumptions_are_flagged(catalogue: Catalogue) -> None:
    assert catalogue.get("L-ESTIMATOR").is_model_assumption
    assert catalogue.get("C-SELF-CLOSE-2MO").is_model_assumption
    assert catalogue.get("WT-PRIVATE-VS-PUBLIC").is_model_assumption
    assert not catalogue.get("WT-EARNINGS-TIERS").is_model_assumption
    assert not catalogue.get("C-FP-OPTOUT").is_model_assumption  # STAFF-INTERNAL is still official


def test_unknown_rule_id_raises(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownRuleError) as info:
        catalogue.get("W-WINDOW")
    assert isinstance(info.value, KeyError)
    assert "W-WINDOW" in str(info.value) and "W-WINDOWS" in str(info.value)
    with pytest.raises(UnknownRuleError, match="ZZ-NOT-A-RULE"):
        cite("W-24MAX", "ZZ-NOT-A-RULE")
    with pytest.raises(UnknownRuleError, match="T-1999-FAKE"):
        catalogue.cite("T-1999-FAKE")


def test_unknown_number_names_rule_and_key(catalogue: Catalogue) -> None:
    rule = catalogue.get("W-WINDOWS")
    with pytest.raises(KeyError) as info:
        rule.number("no_such_key")
    assert isinstance(info.value, UnknownNumberError)
    assert "W-WINDOWS" in str(info.value) and "no_such_key" in str(info.value)
    with pytest.raises(TypeError, match="W-WINDOWS"):
        rule.number_int("months")


def test_find_rule_ids_ignores_lookalikes() -> None:
    text = (
        "Encoding UTF-8, header X-Forwarded-For, label OFFICIAL-CURRENT, td-p/1062836, 3-month. "
        "Cite WT-EARNINGS-TIERS and W-24MAX (then W-24MAX again), C-FP-DORMANT/C-FP-OPTOUT; T-2023-12."
    )
    assert find_rule_ids(text) == ["WT-EARNINGS-TIERS", "W-24MAX", "C-FP-DORMANT", "C-FP-OPTOUT", "T-2023-12"]
    assert find_rule_ids("no ids here") == []


# --- validation rejects bad data ---------------------------------------------------------------------

_GOOD_RULE = """
[[rule]]
id = "W-24MAX"
title = "t"
statement = "s"
topic = "windows"
confidence = "OFFICIAL"
current = true
[[rule.sources]]
title = "src"
"""


def test_parse_minimal_catalogue() -> None:
    parsed = parse_catalogue(_GOOD_RULE)
    assert parsed.ids == ("W-24MAX",)
    assert parsed.get("W-24MAX").numbers == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('id = "W-24MAX"', 'id = "w-24max"'), "id"),
        (('id = "W-24MAX"', 'id = "ZZ-24MAX"'), "must start with one of"),
        (('confidence = "OFFICIAL"', 'confidence = "OFFICIAL-ISH"'), "confidence"),
        (('topic = "windows"', 'topic = "misc"'), "topic"),
        (("current = true", 'current = true\nsince = "2024-01-02"\nuntil = "2023-01-01"'), "after until"),
        (("current = true", 'current = true\nuntil = "2023-01-01"'), "current = false"),
        (("current = true", 'current = true\ncolour = "red"'), "colour"),
        (("current = true", 'current = true\nnote = "see Z-NOPE and W-NOPE"'), "W-NOPE"),
        (('[[rule.sources]]\ntitle = "src"', "sources = []"), "sources"),
        (
            ('[[rule.sources]]\ntitle = "src"', '[rule.numbers]\nBadKey = 1\n[[rule.sources]]\ntitle = "s"'),
            "snake_case",
        ),
        (
            ('[[rule.sources]]\ntitle = "src"', '[rule.numbers]\nflag = true\n[[rule.sources]]\ntitle = "s"'),
            "flag",
        ),
        (('title = "t"', 'title = "' + "x" * 61 + '"'), "title"),
    ],
)
def test_invalid_rule_is_rejected(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in _GOOD_RULE
    with pytest.raises(CatalogueError, match=message) as info:
        parse_catalogue(_GOOD_RULE.replace(old, new, 1), source="test.toml")
    assert "test.toml" in str(info.value)


def test_duplicate_ids_and_bad_toml_are_rejected() -> None:
    with pytest.raises(CatalogueError, match="duplicate rule ids: W-24MAX"):
        parse_catalogue(_GOOD_RULE + _GOOD_RULE)
    with pytest.raises(CatalogueError, match="not valid TOML"):
        parse_catalogue("[[rule]\n")
    with pytest.raises(CatalogueError, match="unexpected top-level keys"):
        parse_catalogue("version = 1\n" + _GOOD_RULE)
    with pytest.raises(CatalogueError, match="rules"):
        parse_catalogue("")


def test_rule_is_frozen(catalogue: Catalogue) -> None:
    rule: Rule = catalogue.get("B-TR")
    with pytest.raises(ValueError):
        rule.title = "changed"  # type: ignore[misc]


# --- coverage of the shared catalogue and evaluation sets ----------------------------------------------


def test_every_shared_catalogue_id_is_present(catalogue: Catalogue) -> None:
    text = _shared_catalogue_text()
    bold_ids = dict.fromkeys(BOLD_ID_RE.findall(text))
    assert len(bold_ids) >= 80, "the shared catalogue's bold-id format seems to have changed"
    missing = [rule_id for rule_id in bold_ids if rule_id not in catalogue]
    assert not missing, f"rule ids in {SHARED_CATALOGUE} missing from scoring/rules.toml: {missing}"
    # Any id mentioned anywhere in the shared catalogue (not only in bold) must exist too.
    mentioned = [rule_id for rule_id in find_rule_ids(text) if rule_id not in catalogue]
    assert not mentioned, f"ids mentioned in {SHARED_CATALOGUE} but not in our catalogue: {mentioned}"


def test_evaluation_sets_cite_only_known_rules(catalogue: Catalogue) -> None:
    questions = SHARED_EVAL / "questions_dev.jsonl"
    if not questions.is_file():
        pytest.skip(f"{questions} not found: it comes from the project's shared folder (set JSS_SHARED_DIR)")
    unknown: list[str] = []
    for number, line in enumerate(questions.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            cited = json.loads(line)["rules"]
            unknown += [f"{questions.name}:{number}: {r}" for r in cited if r not in catalogue]
    for scenario in sorted((SHARED_EVAL / "scenarios").glob("*.json")):
        rules = json.loads(scenario.read_text(encoding="utf-8")).get("rules", [])
        unknown += [f"{scenario.name}: {r}" for r in rules if r not in catalogue]
    assert not unknown, "evaluation sets cite rules missing from the catalogue:\n" + "\n".join(unknown)


# --- numbers the scoring engine reads --------------------------------------------------------------------

ENGINE_NUMBERS: list[tuple[str, str, object]] = [
    ("WT-EARNINGS-TIERS", "tier_upper_usd", [250, 1000]),
    ("WT-EARNINGS-TIERS", "tier_weights", [1.0, 1.25, 1.5]),
    ("WT-EARNINGS-TIERS", "months_per_bonus", 3),
    ("WT-EARNINGS-TIERS", "bonus_weight", 1.0),
    ("WT-EARNINGS-TIERS", "max_weight", 8.0),
    ("W-WINDOWS", "months", [6, 12, 24]),
    ("W-TRENDING", "months", [6, 3]),
    ("W-AGE-OUT", "extra_days", 1),
    ("W-24MAX", "months", 24),
    ("W-CADENCE-LEGACY", "interval_days", 14),
    ("W-CADENCE-LEGACY", "anchor", "2023-12-10"),
    ("W-CADENCE-CURRENT", "interval_days", 1),
    ("E-CURRENT", "min_jobs", 2),
    ("E-CURRENT", "min_clients", 2),
    ("E-CURRENT", "window_months", 24),
    ("E-CURRENT", "long_term_payment_days", 90),
    ("FB-14DAYS", "days", 14),
    ("FB-PUBLIC-MIN", "min_usd", 1),
    ("C-FP-DORMANT", "warning_days", [76, 83]),
    ("C-FP-DORMANT", "dormant_day", 90),
    ("C-FP-DORMANT", "client_days", 7),
    ("C-FP-DORMANT", "freelancer_days", 7),
    ("C-FP-DORMANT", "approve_days", 14),
    ("C-FP-DORMANT", "milestone_extends_days", 90),
    ("C-FP-AUTO-RELEASE", "days", 14),
    ("C-FP-OPTOUT", "max_opt_outs", 2),
    ("C-SELF-CLOSE-2MO", "min_idle_days", 60),
    ("C-SELF-CLOSE-2MO", "min_requests", 1),
    ("C-HOURLY-INACTIVE", "client_email_days", 30),
    ("C-FL-CAN-END", "refund_days", 180),
    ("L-STAGGER", "spacing_days", 14),
    ("L-ESTIMATOR", "bad_penalty", 0.5),
    ("B-TR", "min_jss", 90),
    ("B-TR", "eligible_weeks", 13),
    ("B-TR", "of_weeks", 16),
    ("B-TR", "min_earnings_12mo_usd", 1000),
    ("B-TR", "min_account_age_days", 90),
    ("B-TR", "activity_days", 90),
    ("B-TR-WEEKS", "window_weeks", 16),
    ("B-TR-WEEKS", "badge_delay_hours", [24, 72]),
    ("B-TRP", "min_earnings_12mo_usd", 10000),
    ("L-ONE-BAD-15", "good", 14),
    ("L-ONE-BAD-15", "bad", 1),
    ("L-ONE-BAD-15", "bad_stars", 3.75),
    ("L-ONE-BAD-15", "before", 98),
    ("L-ONE-BAD-15", "after", 89),
    ("L-SMALL-BAD", "bad_usd", 135),
    ("L-SMALL-BAD", "good_usd", 2000),
    ("L-SMALL-BAD", "before", 98),
    ("L-SMALL-BAD", "after", 90),
    ("L-DISPUTE", "disputed_usd", 550),
    ("L-DISPUTE", "scores", [98, 96, 94]),
    ("L-UNRESPONSIVE", "before", 100),
    ("L-UNRESPONSIVE", "after", 89),
    ("L-UNRESPONSIVE", "first_jss_suspended", 75),
    ("L-NEWBIE-MATH", "seven_jobs_one_bad", 79),
    ("L-NEWBIE-MATH", "eleven_jobs_one_dispute", 88),
    ("L-INACTIVE-OPEN", "before", 100),
    ("L-INACTIVE-OPEN", "after", 98),
]


def _same_type(value: object, expected: object) -> bool:
    """Exact types, so an int where the engine expects a float (or the reverse) is caught."""
    if isinstance(expected, list):
        return (
            isinstance(value, list)
            and len(value) == len(expected)
            and all(type(v) is type(e) for v, e in zip(value, expected, strict=True))
        )
    return type(value) is type(expected)


@pytest.mark.parametrize(("rule_id", "key", "expected"), ENGINE_NUMBERS, ids=lambda v: str(v))
def test_engine_numbers(catalogue: Catalogue, rule_id: str, key: str, expected: object) -> None:
    value = catalogue.get(rule_id).number(key)
    assert value == expected, f"{rule_id}.{key}"
    assert _same_type(value, expected), f"{rule_id}.{key}: {value!r} has the wrong type"


def test_typed_number_accessors(catalogue: Catalogue) -> None:
    tiers = catalogue.get("WT-EARNINGS-TIERS")
    assert tiers.number_ints("tier_upper_usd") == (250, 1000)
    assert tiers.number_floats("tier_weights") == (1.0, 1.25, 1.5)
    assert tiers.number_float("max_weight") == 8.0
    assert tiers.number_int("months_per_bonus") == 3
    assert catalogue.get("B-TR").number_float("min_jss") == 90.0
    assert catalogue.get("W-WINDOWS").number_floats("months") == (6.0, 12.0, 24.0)
    assert date.fromisoformat(catalogue.get("W-CADENCE-LEGACY").number_str("anchor")).weekday() == 6  # Sunday


# --- no code or template cites an unknown rule -------------------------------------------------------------


def _cited_files() -> list[Path]:
    """Python under scoring/ and bot/, and every file under templates/ (these grow over time)."""
    found: list[Path] = []
    for folder in ("scoring", "bot"):
        found += [p for p in (REPO / folder).rglob("*.py") if "__pycache__" not in p.parts]
    templates = REPO / "bot" / "render" / "templates"
    if templates.is_dir():
        found += [p for p in templates.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(found)


def test_code_and_templates_cite_only_known_rules(catalogue: Catalogue) -> None:
    files = _cited_files()
    assert any(p.name == "catalogue.py" for p in files), "the scan should at least see scoring/catalogue.py"
    unknown: list[str] = []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for rule_id in find_rule_ids(line):
                if rule_id not in catalogue:
                    unknown.append(f"{path.relative_to(REPO)}:{number}: {rule_id}")
    listing = "\n".join(unknown)
    assert not unknown, f"unknown rule ids (typo, or add the rule to scoring/rules.toml):\n{listing}"
