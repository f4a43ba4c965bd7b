"""Questions: the rules in plain words, the asker's own numbers only when asked privately."""

from __future__ import annotations

from bot.services import Services


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
    assert numbers.endswith(". Run advise for details.")


async def test_personal_numbers_per_intent(loaded: Services) -> None:
    """The engine's numbers put into words by ask.md.j2, one sentence per fact the intent asks for."""
    asks = loaded.questions.ask
    cases = {
        "why did my score drop?": (
            "score_drop",
            "Estimated JSS today: 81%. If nothing else changes: 93% in 3 months, 81% in 6 months, 73% in 12 "
            "months. Next change: 2026-03-03, scraper (leaves window 12m), 81% -> 93%.",
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
    assert (
        "feedback from clients Upwork has flagged or suspended for Terms of Service violations does not count"
        in answer.description
    )
    assert "…" not in answer.description
