"""The guided first run on a real SQLite store: welcome, import, batches of questions, resume, the score."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from bot.clock import FixedClock
from bot.console.output import format_json, format_text
from bot.render import OutputFormat
from bot.services import ServiceError, Services, build_services
from bot.services.onboarding import BATCH_SIZE, CHOICES
from bot.store import LedgerStore
from scoring.model import ContractStatus
from tests.samples import TODAY, sample

USER = "dana"
FILES = [sample("transactions.csv"), sample("weekly.csv")]  # 5 contracts, none with status or feedback


async def test_welcome_names_the_two_downloads(advisor: Services) -> None:
    step = await advisor.onboarding.welcome(USER)
    [answer] = step.answers
    assert step.batch is None and answer.data["step"] == "welcome"
    text = answer.description
    assert "Transaction History" in text and "Weekly Summary" in text and "--interactive" in text


async def test_from_files_to_a_score_in_batches(advisor: Services, store: LedgerStore) -> None:
    onboarding = advisor.onboarding
    step = await onboarding.import_files(USER, FILES)
    summary, questions = step.answers
    assert summary.kind == "import_csv" and questions.title == "Contracts 1 to 4 of 5: what happened?"
    assert step.batch is not None and len(step.batch.questions) == BATCH_SIZE
    assert [value for value, _ in step.batch.choices] == list(CHOICES)
    assert dict(step.batch.choices)["ended:4.5"] == "Ended, 4.5 stars"
    first, second, *_ = [q.contract for q in step.batch.questions]
    await onboarding.choose(USER, first.id, "ended:5")
    await onboarding.choose(USER, second.id, "asked")
    step = await onboarding.next_batch(USER, [q.contract.id for q in step.batch.questions])
    assert step.batch is not None and len(step.batch.questions) == 1
    assert step.answers[0].title == "Contracts 5 to 5 of 5: what happened?"
    last = step.batch.questions[0].contract
    await onboarding.choose(USER, last.id, "ended:none")
    step = await onboarding.next_batch(USER, [last.id])
    done, score = step.answers
    assert step.batch is None and done.title == "Done: 3 contracts answered, 2 skipped"
    assert score.kind == "score"
    ended = await store.get_contract(USER, first.id)
    assert ended is not None and (ended.status, ended.ended, ended.public_stars) == (
        ContractStatus.ENDED,
        first.last_activity,
        5.0,
    )
    asked = await store.get_contract(USER, second.id)
    assert asked is not None and asked.is_open and len(asked.close_requests) == 1
    silent = await store.get_contract(USER, last.id)
    assert silent is not None and silent.status is ContractStatus.ENDED and silent.public_stars is None
    again = await onboarding.import_files(USER, FILES)  # nothing new to ask: straight to the score
    assert again.batch is None and [a.kind for a in again.answers] == ["import_csv", "onboarding", "score"]


async def test_leaving_midway_resumes_where_it_stopped(advisor: Services, store: LedgerStore) -> None:
    step = await advisor.onboarding.import_files(USER, FILES)
    assert step.batch is not None
    await advisor.onboarding.choose(USER, step.batch.questions[0].contract.id, "open")
    later = await advisor.onboarding.later(USER)
    assert later.title == "Saved for later" and "4 contracts still to go" in later.description
    fresh = build_services(store, advisor.context.fmt, advisor.context.clock)  # another session, same file
    resumed = await fresh.onboarding.welcome(USER)
    assert resumed.answers[0].title == "Welcome back: 4 contracts still to go"
    assert resumed.batch is not None
    shown = [q.contract.id for q in step.batch.questions]
    again = [q.contract.id for q in resumed.batch.questions]
    assert again[:3] == shown[1:] and len(again) == 4 and shown[0] not in again


async def test_skipping_the_rest_ends_with_the_score(advisor: Services, store: LedgerStore) -> None:
    await advisor.onboarding.import_files(USER, FILES)
    step = await advisor.onboarding.skip_rest(USER)
    assert step.batch is None and step.answers[0].title == "Done: 0 contracts answered, 5 skipped"
    assert all(c.is_open and c.earnings_usd > Decimal(0) for c in await store.list_contracts(USER))
    assert (await advisor.onboarding.welcome(USER)).answers[0].data["step"] == "welcome"


async def test_a_bad_choice_or_a_removed_contract_is_refused(advisor: Services) -> None:
    step = await advisor.onboarding.import_files(USER, FILES)
    assert step.batch is not None
    contract = step.batch.questions[0].contract
    with pytest.raises(ServiceError):
        await advisor.onboarding.choose(USER, contract.id, "ended:9")
    await advisor.ledger.remove_contract(USER, contract.id)
    with pytest.raises(ServiceError) as caught:
        await advisor.onboarding.choose(USER, contract.id, "open")
    assert caught.value.answer.data["error"] == "not_found"
    assert (await advisor.onboarding.counts(USER)).pending == 4  # its question went with it


async def test_forget_me_removes_the_progress(advisor: Services) -> None:
    await advisor.onboarding.import_files(USER, FILES)
    await advisor.ledger.forget(USER)
    assert (await advisor.onboarding.counts(USER)).total == 0


async def test_hostile_titles_are_shown_not_applied(store: LedgerStore) -> None:
    discord = build_services(store, OutputFormat.DISCORD, FixedClock.on(TODAY))
    raw = (
        b"Date,Ref ID,Type,Description,Team,Amount\n"
        b'"Oct 02, 2026",1,Fixed Price,"Invoice for **Evil** @everyone <@123>",Co,$30\n'
    )
    step = await discord.onboarding.import_files(USER, [("h.csv", raw)])
    assert step.batch is not None and step.batch.questions[0].label.startswith("**Evil** @everyone")
    text = step.answers[-1].description
    assert "\\*\\*Evil\\*\\*" in text and "@everyone" not in text and "<@123>" not in text


async def test_a_renamed_contract_keeps_its_question(advisor: Services) -> None:
    step = await advisor.onboarding.import_files(USER, FILES)
    assert step.batch is not None
    first = step.batch.questions[0].contract
    await advisor.ledger.edit_contract(USER, first.id, {"id": "shop"})
    again = await advisor.onboarding.next_step(USER)
    assert again.batch is not None and again.batch.questions[0].contract.id == "shop"
    assert (await advisor.onboarding.counts(USER)).pending == 5


@pytest.mark.parametrize("fmt", list(OutputFormat))
async def test_every_step_renders_in_both_outputs(store: LedgerStore, fmt: OutputFormat) -> None:
    service = build_services(store, fmt, FixedClock.on(TODAY)).onboarding
    answers = [*(await service.welcome(USER)).answers, *(await service.import_files(USER, FILES)).answers]
    answers += [await service.later(USER), *(await service.welcome(USER)).answers]
    answers += (await service.skip_rest(USER)).answers
    steps = [a.data.get("step", a.kind) for a in answers]
    assert steps == ["welcome", "import_csv", "batch", "later", "resume", "batch", "done", "score"]
    for answer in answers:
        text = "\n".join([answer.title, answer.description, *(f"{f.name}\n{f.value}" for f in answer.fields)])
        assert answer.title.strip() and "{{" not in text and "{%" not in text and "None" not in text, text
        assert format_text(answer, colour=False) and format_json(answer)
    assert ("`/start`" in answers[0].description) is (fmt is OutputFormat.DISCORD)


async def test_picking_asked_again_records_one_close_request(advisor: Services, store: LedgerStore) -> None:
    """Only the last pick counts: "asked" picked again (that day or days later, from the same message)
    adds no second close request; another pick takes back the one "asked" added, never the user's own."""
    step = await advisor.onboarding.import_files(USER, FILES)
    assert step.batch is not None
    mine, other = (q.contract for q in step.batch.questions[:2])
    await advisor.onboarding.choose(USER, mine.id, "asked")
    later = build_services(store, advisor.context.fmt, FixedClock.on(TODAY + timedelta(days=3)))
    await later.onboarding.choose(USER, mine.id, "asked")
    asked = await store.get_contract(USER, mine.id)
    assert asked is not None and asked.is_open and asked.close_requests == (TODAY,)

    await later.onboarding.choose(USER, mine.id, "open")  # changed their mind: not asked after all
    changed = await store.get_contract(USER, mine.id)
    assert changed is not None and changed.close_requests == ()
    await later.onboarding.choose(USER, mine.id, "asked")
    await later.onboarding.choose(USER, mine.id, "ended:5")
    ended = await store.get_contract(USER, mine.id)
    assert ended is not None and ended.status is ContractStatus.ENDED and ended.close_requests == ()

    await advisor.ledger.asked_client(USER, other.id, TODAY)  # recorded by the user, outside the run
    for choice in ("asked", "open"):
        await advisor.onboarding.choose(USER, other.id, choice)
    theirs = await store.get_contract(USER, other.id)
    assert theirs is not None and theirs.close_requests == (TODAY,)
