"""The score answer says which rules and which update it reflects, in its --json data too (issue 18)."""

from __future__ import annotations

from datetime import date

from bot.services import Services
from tests.builders import days, ended, ledger_json
from tests.samples import AS_OF


async def test_today_s_score_names_the_current_era_and_its_daily_update(loaded: Services) -> None:
    data = (await loaded.answers.score("u1")).data
    assert data["era"] == {"rule": "T-2024-09-INSIGHTS", "since": "2024-09-01"}
    assert data["cadence"] == "daily" and data["update_day"] == AS_OF.isoformat()
    assert isinstance(data["range"]["rough"], list)


async def test_an_older_date_names_its_era_and_the_sunday_update_it_reflects(services: Services) -> None:
    asked = date(2024, 5, 15)  # a Wednesday, under the fortnightly rules
    jobs = [ended(f"j{i}", asked - days(10 + 20 * i)) for i in range(3)]
    await services.ledger.import_ledger("u1", ledger_json(jobs).encode())
    answer = await services.answers.score("u1", as_of=asked)
    assert answer.data["era"]["rule"] == "T-2023-12"
    assert answer.data["cadence"] == "biweekly"
    assert answer.data["update_day"] == "2024-05-12"
    assert "2024-05-12" in answer.description + "".join(f.value for f in answer.fields)
