"""Answers cross to and from the bot's worker processes with every engine job: they must come back equal."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

from bot.render import Answer, Citation, Field, OutputFormat
from bot.services.context import JobSettings, LedgerSource, Refused
from scoring.model import parse_ledger_json
from scoring.params import ModelParams
from tests.samples import FREELANCER


def test_an_answer_with_every_part_survives_a_round_trip() -> None:
    answer = Answer(
        "advice",
        "Close it now: Site fixes",
        "It has been idle 80 days.",
        (Field("Idle", "80 days", inline=True), Field("Asked the client", "1 time")),
        "footer",
        (Citation("C-SELF-CLOSE-2MO", "Close it yourself", "Upwork Community", None, "community", False),),
        {"verdict": "close_now", "simulations": {"leave_open": {"now": 93}}},
        "warning",
        (("chart.png", b"\x89PNG"),),
        Field("Sources", "C-SELF-CLOSE-2MO"),
    )
    copy = pickle.loads(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == answer and copy is not answer
    assert type(copy.fields[0]) is Field and type(copy.citations[0]) is Citation
    refused = pickle.loads(pickle.dumps(Refused(answer), protocol=pickle.HIGHEST_PROTOCOL))
    assert refused == Refused(answer)


def test_a_jobs_settings_and_ledger_source_survive_a_round_trip() -> None:
    settings = JobSettings(OutputFormat.DISCORD, ModelParams(), datetime(2026, 3, 2, 12, tzinfo=UTC))
    source = LedgerSource("42", contracts=parse_ledger_json(FREELANCER.read_bytes()).contracts)
    assert pickle.loads(pickle.dumps(settings, protocol=pickle.HIGHEST_PROTOCOL)) == settings
    assert pickle.loads(pickle.dumps(source, protocol=pickle.HIGHEST_PROTOCOL)) == source


def test_a_jobs_parameters_are_unpickled_once_per_parameter_set() -> None:
    """The same few parameter sets cross with every job: a worker rebuilds each once, and a different set
    (another era's cadence, a what-if's horizon) is never mistaken for it."""
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    params = ModelParams()
    other = params.model_copy(update={"projection_months": 12})
    first, second, third = (
        pickle.loads(pickle.dumps(JobSettings(OutputFormat.DISCORD, p, now), protocol=pickle.HIGHEST_PROTOCOL))
        for p in (params, ModelParams(), other)
    )
    assert first.params == params and first.params is second.params  # equal sets: one object
    assert third.params == other and third.params != params
