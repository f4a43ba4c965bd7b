"""Templates -> Answers on real ledgers: every template renders, citations are real rules (most relevant
first), and untrusted text is escaped for each output (terminal, Discord). The console's own formatting of
an answer: tests/console/test_output.py."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.render
import bot.services.context as context_module
import bot.services.errors as errors_module
from bot.clock import FixedClock
from bot.console.output import format_json, format_text
from bot.render import Answer, OutputFormat, render_answer
from bot.render.escaping import MAX_USER_TEXT, Trusted, for_console, for_discord
from bot.render.filters import a_usd
from bot.services import ServiceError, Services, build_services
from bot.store import LedgerStore
from scoring.catalogue import find_rule_ids, load_catalogue
from scoring.params import Cadence
from tests.samples import AS_OF, FREELANCER, HOSTILE, NEWCOMER

TEMPLATES_DIR = Path(bot.render.__file__).parent / "templates"

CATALOGUE = load_catalogue()
# "footer" is part of every answer; the others are rendered by other services and checked by their own
# every-template test (tests/services/test_import_templates.py).
NOT_ADVISOR_KINDS = {
    "footer",
    "sources",  # part of every answer that cites a rule
    "action",  # the advice buttons' answers: tests/discord_app/test_advice_buttons.py
    "import_csv",
    "onboarding",  # the guided first run: tests/services/test_onboarding.py
    "contract_details",
    "client_message",
    "reminder",
    "reminders",
    "reminder_notice",
    "migrate",  # `jss-advisor migrate`: tests/console/test_migrate.py
}  # tests/services/reminders/test_messages.py
TEMPLATE_KINDS = {p.name.removesuffix(".md.j2") for p in TEMPLATES_DIR.glob("*.md.j2")} - NOT_ADVISOR_KINDS
Rendered = tuple[str, dict[str, Any], Answer]
ESTIMATE_KINDS = {"score", "projection", "advice", "whatif", "plan", "toprated", "why"}
LEDGERS = {path.stem.removeprefix("ledger_"): path.read_bytes() for path in (FREELANCER, NEWCOMER, HOSTILE)}


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[Rendered]:
    """Every (kind, context, answer) the services render, in order."""
    calls: list[Rendered] = []
    real = context_module.render_answer

    def spy(kind: str, context: dict[str, Any], *args: Any, **kw: Any) -> Answer:
        answer = real(kind, context, *args, **kw)
        calls.append((kind, dict(context), answer))
        return answer

    for module in (context_module, errors_module):
        monkeypatch.setattr(module, "render_answer", spy)
    return calls


def service_for(store: LedgerStore, fmt: OutputFormat) -> Services:
    return build_services(store, fmt, clock=FixedClock.on(AS_OF))


async def every_answer(service: Services, user: str, ledger: bytes) -> list[Answer]:
    """All answer kinds on one ledger, through the services, the way the front ends ask for them."""
    answers = [await service.ledger.import_ledger(user, ledger, "replace")]
    contracts = await service.context.store.list_contracts(user)
    answers.append(await service.ledger.list_contracts(user))
    for c in contracts:
        answers.append(await service.ledger.show_contract(user, c.id))
        answers.append(await service.answers.advise(user, c.id))
        answers.append(await service.answers.what_if(user, c.id))
    answers.append(await service.answers.score(user))
    for cadence in Cadence:
        answers.append(await service.answers.projection(user, cadence=cadence))
    answers.append(await service.answers.plan(user))
    answers.append(await service.answers.top_rated(user))
    today = service.context.today()
    answers.append(await service.history.record_score(user, 96, today - timedelta(days=120)))
    answers.append(await service.history.record_score(user, 89, today))
    answers.append(await service.history.explain_change(user))
    for question in (
        "my client went silent, should I close the contract?",
        "why did my score drop?",
        "is it true you must close contracts every quarter?",
        "purple elephants dancing",
    ):
        answers.append(await service.questions.ask(user, question))
    open_ids = [c.id for c in contracts if c.is_open]
    answers.append(await service.ledger.asked_client(user, open_ids[0]))
    answers.append(await service.ledger.edit_contract(user, contracts[0].id, {"title": "Renamed title"}))
    answers.append(await service.ledger.remove_contract(user, contracts[0].id))
    for coro in (service.answers.advise(user, "no-such-id"), service.ledger.add_contract(user, {"id": "x"})):
        with pytest.raises(ServiceError) as caught:
            await coro
        answers.append(caught.value.answer)
    return answers


def visible_text(answer: Answer) -> str:
    parts = [answer.title, answer.description, answer.footer]
    for f in answer.fields:
        parts += [f.name, f.value]
    return "\n".join(parts)


# -- every template, real ledgers -------------------------------------------------------------------


@pytest.mark.parametrize("ledger", ["freelancer", "newcomer", "hostile_text"])
async def test_every_template_renders_for_a_realistic_ledger(store, rendered, ledger: str) -> None:
    answers = await every_answer(service_for(store, OutputFormat.CONSOLE), "u1", LEDGERS[ledger])

    assert {kind for kind, _, _ in rendered} == TEMPLATE_KINDS
    for answer in answers:
        text = visible_text(answer)
        assert answer.title.strip(), answer
        assert "{{" not in text and "{%" not in text and "None" not in text, text
        # the disclaimer once, short, only under an estimate (not on confirmations or errors)
        estimate = answer.kind in ESTIMATE_KINDS or (answer.kind == "ask" and "jss" in answer.data)
        assert ("Upwork does not publish its JSS formula" in answer.footer) is estimate, (answer.kind, answer.footer)
        assert answer.footer.count("Upwork") == int(estimate) and len(answer.footer) <= 60
        for f in answer.fields:
            assert f.name.strip() and f.value.strip(), (answer.kind, f)
        assert format_text(answer, colour=False)  # and the console can show it
        assert format_json(answer)


async def test_score_answer_lists_every_window_and_contract(store) -> None:
    service = service_for(store, OutputFormat.CONSOLE)
    await service.ledger.import_ledger("u1", FREELANCER.read_bytes())
    answer = await service.answers.score("u1")
    fields = {f.name: f.value for f in answer.fields}
    assert answer.title == f"Estimated JSS: {answer.data['jss']}%"
    assert [line.split(":")[0] for line in fields["Windows"].splitlines()] == ["3m", "6m", "12m", "24m", "trending"]
    assert fields["Windows"].count("<- shown") == 1
    counted = fields["Contracts that count (6)"].splitlines()
    assert len(counted) == 6 and any(
        line.startswith("Price scraper in Python (scraper): counts against you") for line in counted
    )
    assert fields["Not counted (2)"].count("\n") == 1


async def test_contracts_answer_lists_every_contract_one_per_line(store) -> None:
    service = service_for(store, OutputFormat.DISCORD)
    await service.ledger.import_ledger("u1", FREELANCER.read_bytes())
    answer = await service.ledger.list_contracts("u1")
    ids = [c.id for c in await store.list_contracts("u1")]
    [listing] = [f for f in answer.fields if f.name == f"Contracts ({len(ids)})"]
    lines = listing.value.splitlines()
    assert [line.split("**")[1] for line in lines] == ids  # every one, in order: Discord pages them, 10 a page
    assert answer.title == f"Your contracts ({len(ids)})"


def test_notice_and_error_render_for_every_key() -> None:
    for kind in ("notice", "error"):
        source = (TEMPLATES_DIR / f"{kind}.md.j2").read_text(encoding="utf-8")
        keys = re.findall(r'^\s+"([a-z_]+)": "', source, flags=re.MULTILINE)
        assert len(keys) >= 5
        for key in keys:
            for fmt in OutputFormat:
                answer = render_answer(kind, {"key": key, "detail": "d", "message": "m"}, fmt)
                assert answer.title and answer.title != "Sorry, that did not work"
    assert render_answer("error", {"key": "other", "message": "m"}).title == "Sorry, that did not work"


# -- citations ----------------------------------------------------------------------------------------


def test_templates_only_mention_known_rule_ids() -> None:
    """Text ids are matched leniently at render time (user text may look like ids), so check the sources."""
    for path in TEMPLATES_DIR.glob("*.md.j2"):
        ids = find_rule_ids(path.read_text(encoding="utf-8"))
        unknown = [rule_id for rule_id in ids if rule_id not in CATALOGUE]
        assert not unknown, (path.name, unknown)


@pytest.mark.parametrize("ledger", ["freelancer", "hostile_text"])
async def test_citations_are_known_rules_most_relevant_first(store, rendered, ledger: str) -> None:
    await every_answer(service_for(store, OutputFormat.DISCORD), "u1", LEDGERS[ledger])

    assert rendered
    for kind, context, answer in rendered:
        ids = answer.rule_ids
        assert all(rule_id in CATALOGUE for rule_id in ids), (kind, ids)
        assert len(ids) == len(set(ids))
        assert answer.data["rules"] == ids
        expected_first = list(dict.fromkeys(context.get("rules", ())))
        assert ids[: len(expected_first)] == expected_first, (kind, ids, expected_first)
        text = "\n".join([answer.description, *(f.value for f in answer.fields)])
        mentioned = [r for r in find_rule_ids(text) if r in CATALOGUE]
        assert set(mentioned) <= set(ids), (kind, set(mentioned) - set(ids))
        for citation in answer.citations:
            rule = CATALOGUE.get(citation.rule_id)
            assert citation.title == rule.title and citation.source == rule.primary_source.title


async def test_engine_rules_lead_the_citations(store) -> None:
    service = service_for(store, OutputFormat.CONSOLE)
    await service.ledger.import_ledger("u1", FREELANCER.read_bytes())
    advice = await service.answers.advise("u1", "silent-client")
    assert advice.data["rules"][0] == "C-SELF-CLOSE-2MO"
    projection = await service.answers.projection("u1", cadence=Cadence.BIWEEKLY_SUNDAY)
    assert projection.data["rules"][:5] == ["W-AGE-OUT", "W-24MAX", "W-WINDOWS", "W-TRENDING", "W-CADENCE-LEGACY"]


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_rule_like_user_text_is_not_a_citation_and_does_not_fail(fmt: OutputFormat) -> None:
    answer = render_answer(
        "notice", {"key": "added", "detail": "B-TEAM site for UTF-8 Corp", "rules": ["L-STAGGER"]}, fmt
    )
    assert answer.rule_ids == ["L-STAGGER"]
    assert "B-TEAM" in answer.description


def test_unknown_rule_from_the_engine_still_fails_loudly() -> None:
    with pytest.raises(KeyError):
        render_answer("notice", {"key": "added", "detail": None, "rules": ["X-NOT-A-RULE"]})


# -- escaping per output --------------------------------------------------------------------------------


async def test_discord_escapes_markdown_and_mentions(store) -> None:
    service = service_for(store, OutputFormat.DISCORD)
    answers = await every_answer(service, "u1", LEDGERS["hostile_text"])
    listing = await service.ledger.list_contracts("u1")
    shown = await service.ledger.show_contract("u1", "mkt-site")

    for answer in [*answers, listing, shown]:
        text = visible_text(answer)
        assert "@everyone" not in text and "@here" not in text, text
        assert "<@123>" not in text and "<@&42>" not in text
        assert "\x1b" not in text and "[31m" not in text and "[2J" not in text, text
    assert "\\*\\*@\u200beveryone\\*\\* <@\u200b123>" in shown.description
    rows = {line.split("**")[1]: line.split("**: ", 1)[1] for line in listing.fields[0].value.splitlines()}
    mkt = rows["mkt-site"]
    assert mkt.startswith("Marketing site rebuild for \\*\\*@\u200beveryone")
    podcast = rows["podcast"]
    assert "\\`rm -rf\\`" in podcast and "\\_x\\_" in podcast


async def test_console_keeps_markdown_but_strips_terminal_controls(store) -> None:
    service = service_for(store, OutputFormat.CONSOLE)
    await service.ledger.import_ledger("u1", HOSTILE.read_bytes())
    shown = await service.ledger.show_contract("u1", "mkt-site")
    assert shown.title == "Marketing site rebuild"
    assert shown.description == "mkt-site: hourly contract with **@everyone** <@123>, active."


async def test_discord_error_echoing_user_input_is_escaped(store) -> None:
    service = service_for(store, OutputFormat.DISCORD)
    await service.ledger.import_ledger("u1", NEWCOMER.read_bytes())
    with pytest.raises(ServiceError) as caught:
        await service.answers.advise("u1", "**@everyone** <@123>")
    text = visible_text(caught.value.answer)
    assert "@everyone" not in text and "<@123>" not in text
    assert "\\*\\*" in text


@pytest.mark.parametrize("fmt", list(OutputFormat))
@pytest.mark.parametrize("brk", ["\n", "\r\n", "\u2028", "\u2029"])
def test_line_breaks_in_user_text_cannot_add_fields(fmt: OutputFormat, brk: str) -> None:
    detail = f"x{brk}## Fake field{brk}pwned{brk}# Fake title"
    answer = render_answer("notice", {"key": "added", "detail": detail}, fmt)
    assert answer.fields == ()
    assert answer.title == "Contract added."
    assert "pwned" in answer.description


@settings(deadline=None)  # no wall-clock limit per example: a busy machine is not a bug
@given(st.text(max_size=300))
def test_for_console_never_lets_control_characters_through(text: str) -> None:
    out = for_console(text)
    assert isinstance(out, str) and len(out) <= MAX_USER_TEXT
    assert not any((ord(ch) < 0x20 and ch != "\t") or 0x7F <= ord(ch) <= 0x9F for ch in out), repr(out)
    assert not any(ch in out for ch in "\u2028\u2029")


@settings(deadline=None)  # no wall-clock limit per example: a busy machine is not a bug
@given(st.text(max_size=300))
def test_for_discord_never_lets_mentions_or_controls_through(text: str) -> None:
    out = for_discord(text)
    assert isinstance(out, str)
    assert "@everyone" not in out and "@here" not in out and "\x1b" not in out
    assert not re.search(r"<@[!&]?\d", out) and not re.search(r"<#\d", out)


def test_trusted_and_non_text_values_pass_unchanged() -> None:
    trusted = Trusted("**bold** \x1b[1m" + "x" * 500)
    for escape in (for_console, for_discord):
        assert escape(trusted) is trusted
        assert escape(42) == 42 and escape(None) is None
    assert for_console("\x1b[31mred\x1b[0m\x07") == "red"
    assert for_discord("\x1b[31mred\x1b[0m") == "red"


@pytest.mark.parametrize(
    ("amount", "words"),
    [(40, "a $40"), (18000, "an $18,000"), (800, "an $800"), (11, "an $11"), (180, "a $180"), (8, "an $8")],
)
def test_an_amount_takes_the_article_it_is_read_with(amount: int, words: str) -> None:
    assert a_usd(amount) == words
