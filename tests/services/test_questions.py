"""Questions: the rules in plain words, the asker's own numbers only when asked privately."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

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
    assert answer.description.startswith("You do not have to accept an escrow refund request")
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
    feared = await services.questions.ask("u1", "I'm taking 8 months off for my baby. will my jss drop?")
    assert "/jss record" not in _visible(feared)  # nothing dropped yet: nothing to record
    window = await services.questions.ask(
        "u1", "A client ended the contract on 28 August 2025 and left 1 star. When does it fall out of the window?"
    )
    assert "/jss record" not in _visible(window)  # an outcome leaving a window is no drop told


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


# --- the intent's lead answers every way its question is asked (issue 15, item 5) ---------------------------

LEAD_VARIANTS = [
    # (question, intent, a phrase the direct answer must contain, a start it must not have)
    (
        "contract ended 5 days ago, can the client still leave a review?",
        "no_feedback",
        "so after 5 days about 9 are left",
        "No",
    ),
    (
        "does it matter who ends the contract, me or the client?",
        "ended_contract",
        "ending it does not count against you by itself",
        None,
    ),
    ("my JSS went down right after a 5-star review, how?", "score_drop", "right after a 5-star review", None),
    (
        "100% to 60% after I closed two finished contracts, why???",
        "score_drop",
        "Ending contracts does not lower your JSS by itself",
        None,
    ),
    ("why isn't my new 5 star review raising my score?", "rise_again", "may barely move the score", None),
    ("taking 6 months off for maternity leave, will my jss drop?", "away_inactive", "in the last 90 days", None),
    (
        "moving abroad, pausing upwork 9 months. my 5 star jobs lately. will my 91% jss stay the same or can it still "
        "drop with no new contracts?",
        "score_drop",
        "After 9 months away your JSS still shows if 2 or more eligible jobs",
        "Good reviews do not stop a drop",
    ),
    (
        "what removes the top rated badge apart from job success?",
        "top_rated",
        "a proposal, invite or earnings in the last 90 days",
        None,
    ),
    ("client wants a partial refund of $50 out of $400, will it affect jss?", "refund", "partial refund", None),
    (
        "client got suspended by upwork, does his 1 star review count?",
        "dispute",
        "suspended for Terms of Service violations, does not count against your JSS",
        None,
    ),
    ("when does the rising talent badge show up?", "no_score_yet", "Rising Talent", None),
    ("how many times can a client stop a fixed-price auto closure?", "dormant_fixed", "at most twice", None),
    (
        "are 4 star reviews counted as positive or negative?",
        "bad_feedback_impact",
        "Even a 4-star review can reportedly pull your JSS down",
        None,
    ),
    ("can clients still leave private feedback?", "private_feedback", "form has dropped it", "Possibly"),
    (
        "hourly contract with no hours for 2 months, will upwork close it?",
        "long_term_contract",
        "does not close idle hourly contracts",
        None,
    ),
    ("is it good practice to close completed contracts right away?", "stagger_closing", "right away", "Close them"),
    ("should I bill 10 minutes so the contract isn't $0?", "zero_dollar", "Billing a few minutes", None),
    ("are small jobs bad for my score?", "small_contract", "however small", "Yes"),
    ("how do I see which contracts are counted in my jss?", "update_cadence", "Job Success insights", None),
    (
        "client agreed to change his 3 star review to 5. how does he do that?",
        "remove_feedback",
        "The client can change it once you enable feedback editing for them on that contract",
        None,
    ),
    (
        "I am at 100% with 4 jobs, what if the next one is 2 stars?",
        "bad_feedback_impact",
        "With 5 jobs and one weak rating among them, Upwork's one published formula, (good - bad) / total, gives "
        "(4 - 1) / 5 = 60%",
        None,
    ),
    (
        "someone told me the jss looks at 48 months of history, true?",
        "myth_check",
        "There is no lifetime or 48-month window",
        "Some of what",
    ),
]


@pytest.mark.parametrize(("question", "intent", "phrase", "not_start"), LEAD_VARIANTS)
async def test_the_lead_answers_this_way_of_asking(
    services: Services, question: str, intent: str, phrase: str, not_start: str | None
) -> None:
    """Each lead once answered its intent's main question only (a 'No:' to 'can the client still leave a review?',
    'Disputes count' to a suspended client's review, 'see below' to a myth): the direct answer now answers the
    variant, in at most three sentences, and is not repeated under 'Folklore check'."""
    answer = await services.questions.ask("nobody", question, personal=False)
    assert answer.data["intent"] == intent, answer.data
    direct = answer.description.split("To be more precise:")[0].strip()
    assert phrase in direct, direct
    assert not_start is None or not direct.startswith(not_start), direct
    assert len(re.findall(r"[.!?](?:\s|$)", direct)) <= 3, direct
    folklore = {f.name: f.value for f in answer.fields}.get("Folklore check", "")
    assert phrase not in folklore


# --- the first sentence answers what was asked (issue 15, item 5) ------------------------------------------


def _first_sentence(answer: Answer) -> str:
    return re.split(r"(?<=[.!?])\s+", answer.description.strip(), maxsplit=1)[0]


FIRST_SENTENCES = [
    # (question, the rule cited first, a phrase the FIRST sentence must contain)
    (
        "client asked for the escrow back, should I refund? will it affect my JSS",
        "C-ESCROW-REFUND",
        "Refunding does not itself count against your JSS",
    ),
    (
        "client ended the fixed price contract and asked me to refund the escrow. do I have to accept?",
        "C-ESCROW-REFUND",
        "You do not have to accept",
    ),
    ("my contract is paused, does it count for my jss?", "C-PAUSED-JSS", "No source says a pause changes your JSS"),
    ("can the client still leave a review after 10 days?", "FB-14DAYS", "so after 10 days about 4 are left"),
    ("how long does the client have to leave feedback?", "FB-14DAYS", "for 14 days after the contract ends"),
    ("the 14 days are over, can the client still leave feedback?", "FB-LATE", "Only if the other side agrees"),
    ("who should end the contract so the client can leave feedback?", "FB-WHO-ENDS", "Either of you can end it"),
    ("are 4-star reviews counted as positive?", "F-PUBLIC-EMPHASIS", "Even a 4-star review can reportedly pull"),
    ("do open contracts with no activity hurt my jss?", "C-OPEN-INACTIVE-JSS", "probably does not hurt your JSS"),
    ("can I end a contract myself as a freelancer?", "C-FL-CAN-END", "You can end any contract yourself"),
    (
        "my jss is back to 92, when will the top rated badge come back?",
        "B-TR-WEEKS",
        "comes back once your JSS is 90% or more",
    ),
    ("the client's account was suspended, does his bad review count?", "X-FLAGGED-CLIENT", "does not count against"),
    ("can a bad review on a $0 contract hurt my jss?", "X-ZERO-NEGATIVE", "can still lower your JSS"),
    ("what is rising talent and how do I get it?", "E-RISING", "Rising Talent marks promising freelancers"),
]


@pytest.mark.parametrize(("question", "rule", "phrase"), FIRST_SENTENCES)
async def test_the_first_sentence_answers_the_narrower_question(
    services: Services, question: str, rule: str, phrase: str
) -> None:
    """A rule cited first that answers a narrower question than its intent's lead (the 14-day window inside a
    no-feedback question, a suspended client inside a dispute one) leads in its own answer-first words; a rule
    whose statement opened with procedure (an escrow refund request, a pause) opens with what was asked."""
    answer = await services.questions.ask("nobody", question, personal=False)
    assert answer.data["rules"][0] == rule, answer.data
    assert phrase in _first_sentence(answer), answer.description
    assert len(re.findall(r"[.!?](?:\s|$)", answer.description.split("To be more precise:")[0])) <= 3


async def test_a_client_asking_to_raise_a_private_rating_is_told_it_can_never_change(services: Services) -> None:
    """Round 22 (a reader's note): "she'll enable editing, so can I bump my private 8/10 to 10?" was answered "Yes, if
    the freelancer allows it"; editing reaches the public rating only."""
    answer = await services.questions.ask(
        "nobody",
        "Client here. I know the freelancer must enable editing before I can change feedback. My VA says the private "
        "8/10 I gave her in 2024 hurt her score. She'll enable editing, can I bump it to 10?",
        personal=False,
    )
    assert answer.description.startswith("No: a private rating can never be changed"), answer.description
    public = await services.questions.ask(
        "nobody",
        "Client here. I gave my freelancer 3 stars, she agreed to enable editing. can I change it to 5?",
        personal=False,
    )
    assert not public.description.startswith("No"), public.description


async def test_the_day_the_contract_ended_dates_the_feedback_window_in_any_lead(services: Services) -> None:
    """A client's lead, or the double-blind rule, says the window in words: the day told dates it (round 22)."""
    answer = await services.questions.ask(
        "nobody",
        "I'm the client. My freelancer ended our contract herself on Feb 10 and I never got the feedback form. "
        "I'd like to leave her a proper review. Can I still do that, and until what date?",
        date(2026, 2, 15),
        personal=False,
    )
    dated = "window is 14 days: counted from 10 February 2026, that is until 24 February 2026 (9 days from now)"
    assert dated in answer.description, answer.description
    undated = await services.questions.ask(
        "nobody",
        "should I end the contract myself today or wait for the client to end it?",
        date(2026, 2, 15),
        personal=False,
    )
    assert "counted from" not in undated.description  # an ending not made yet dates nothing


CLAIMS_CHECKED = [
    # (a claim told as settled and checked, the answer's start)
    ("only the client can end a contract, right? hourly, he's been gone since xmas", "No. You can end any contract"),
    ("is it true upwork counts the last 48 months for the jss?", "No. Only jobs from the last 24 months count"),
    ("jss is just avg stars x20 right? so 4.8 = 96. mine says 89, bug??", "No. The only formula Upwork has published"),
    # the correction already starts with a no: not "No. No source ..."
    ("is it true upwork requires closing inactive contracts every quarter?", "No source supports the claim"),
]


@pytest.mark.parametrize(("question", "start"), CLAIMS_CHECKED)
async def test_a_claim_checked_that_is_folklore_gets_a_no_first(services: Services, question: str, start: str) -> None:
    """Round 22 (batch 38, the asker's own premise): "X, right?" with X a myth is answered "No." before the
    correction, once."""
    answer = await services.questions.ask("nobody", question, personal=False)
    assert answer.description.startswith(start), answer.description
    assert not answer.description.startswith("No. No ")


async def test_a_plain_question_gets_no_verdict(services: Services) -> None:
    answer = await services.questions.ask("nobody", "can I end a contract myself as a freelancer?", personal=False)
    assert not answer.description.startswith("No.")


FOLLOW_UPS = [
    # (question, the follow-up fact expected, or None when the answer does not branch on a missing fact)
    ("can the client still leave a review after 10 days?", None),  # the window, not the feedback, is asked about
    ("contract ended without feedback, does it count?", None),  # left out "whoever ended it": no "Who ended it?"
    ("does it matter who ends the contract?", None),  # a general question, no contract told
    ("are 4-star reviews counted as positive?", None),  # how stars map to outcomes does not depend on the pay
    ("can I end a contract myself as a freelancer?", None),  # ending does not hurt, paid or not
    ("do open contracts with no activity hurt my jss?", None),
    ("client asked for the escrow back, should I refund? will it affect my JSS", None),
    ("the client ended the contract, will that hurt me?", "feedback"),
    ("how much will a 3 star review drop my jss?", "amount"),
    ("my jss dropped from 96 to 91 today, why?", "recent_change"),
    ("jss went from 96 to 91 overnight, nothing changed", None),  # told: nothing ended, no feedback came
    ("why did my jss drop from 100 to 88 when I had no new contracts?", None),
    ("my jss went up from 85 to 90 today with no new feedback, what happened?", None),
    ("I haven't worked for 2 years, where did my JSS go?", None),  # the time away is the change
    ("JSS just went 100 -> 88. Nothing else happened that I know of", None),
    # answered by the eligibility minimum, not the drop lead: "did a contract end?" does not fit it
    (
        "My profile was moved over from Elance and I became active on Upwork in July. I have a long-term contract "
        "running since July and finished at least two short jobs. Still no JSS and no badge. Am I doing something "
        "wrong?",
        None,
    ),
]


@pytest.mark.parametrize(("question", "fact"), FOLLOW_UPS)
async def test_the_follow_up_only_when_the_answer_branches_on_it(
    services: Services, question: str, fact: str | None
) -> None:
    answer = await services.questions.ask("nobody", question, personal=False)
    assert answer.data.get("follow_up_fact") == fact, answer.description
    assert ("To be more precise:" in answer.description) == (fact is not None)


ONE_QUESTION = [
    # (a question that asks one thing, a rule paragraph that once followed its answer though it answers another)
    ("client asked for the escrow back, should I refund? will it affect my JSS", "You can end any contract yourself"),
    ("lost my top rated badge, how do I get it back?", "a first contract over 90 days ago"),
    ("how many jobs do I need to get a job success score?", "Before November 2020"),
    ("client opened a dispute, will it hurt my job success score?", "flagged"),
    ("what do I need to get top rated?", "Top Rated Plus"),
]


@pytest.mark.parametrize(("question", "phrase"), ONE_QUESTION)
async def test_a_question_asking_one_thing_gets_one_answer(services: Services, question: str, phrase: str) -> None:
    """No paragraphs of the rules merely ranked next to the first: read as a freelancer would, they mostly belonged to
    a neighbouring question. They stay among the sources."""
    answer = await services.questions.ask("nobody", question, personal=False)
    assert {f.name for f in answer.fields} <= {"Sources", "Folklore check"}, answer.fields
    assert phrase not in _prose(answer)


FURTHER = [
    # (a post asking two things, the rule answering the second, a phrase of its answer)
    (
        "Just got Top Rated! What makes you lose the badge? "
        "And if I lose it, does my eligible weeks count go back to 0?",
        "B-TR-WEEKS",
        "rolling 16 weeks",
    ),
    (
        "client opened a dispute on my last milestone. will it hurt my score? and how long does he have to leave "
        "feedback after the contract ends?",
        "FB-14DAYS",
        "14 days",
    ),
    (
        "the client gave me 1 star on a $0 contract, he never gave me any task. will this 1 star go in my score, and "
        "can I get it removed?",
        "FB-REPORT",
        "only for a ToS breach",
    ),
]


@pytest.mark.parametrize(("question", "rule", "phrase"), FURTHER)
async def test_a_further_question_of_the_post_is_answered_too(
    services: Services, question: str, rule: str, phrase: str
) -> None:
    answer = await services.questions.ask("nobody", question, personal=False)
    further = {f.name: f.value for f in answer.fields}.get("You also asked", "")
    assert answer.data["rules"][0] != rule and rule in answer.data["rules"]
    assert phrase in further, answer.fields


async def test_a_suspended_clients_review_asked_whether_to_ask_support(services: Services) -> None:
    """ "Is it removed automatically or do I need to open a ticket?" beside a suspended client: nothing to request,
    where to check that the job is left out, and when Support is the next step."""
    answer = await services.questions.ask(
        "nobody",
        "A client gave me 1 star on a $450 project, my JSS fell to 88, and now his account is suspended by Upwork. "
        "How long until it is taken out, or do I need to open a ticket and ask?",
        personal=False,
    )
    assert answer.data["rules"][0] == "X-FLAGGED-CLIENT"
    assert "nothing to request" in answer.description and "Job Success insights" in answer.description
    assert "T-2024-09-INSIGHTS" in answer.data["rules"]


RESTATED = [
    # (a post asking two things, a fact the lead and the second answer state in other words: said once)
    (
        "I have one long-term client who pays me every month on the same hourly contract. Does that help my JSS? "
        "And do the little $10 jobs count the same as big ones?",
        "up to 8",
    ),
]


@pytest.mark.parametrize(("question", "fact"), RESTATED)
async def test_a_fact_is_said_once_whichever_texts_state_it(services: Services, question: str, fact: str) -> None:
    """The lead and a further answer often say one fact in other words; the later sentence is left out
    (bot/render/repeats.py), the rule stays among the sources."""
    answer = await services.questions.ask("nobody", question, personal=False)
    assert "You also asked" in {f.name for f in answer.fields}
    assert _prose(answer).count(fact) == 1, _prose(answer)


LEADS_IN_THE_ASKERS_TERMS = [
    # (question, a phrase the direct answer has, a phrase it must not have)
    (
        "Client just messaged me: 'Refund the full $600 or I leave 1 star and tell everyone you are a scammer.' The "
        "work is DONE, he approved the milestone. I refuse to be blackmailed. Is this even allowed on Upwork? And what "
        "can I actually do if he really posts that review after I say no?",
        "Do not pay for a rating",
        "You do not have to accept",
    ),
    (
        "Top Rated, 96%. A client gave me 5 stars publicly but added a private note saying he was a bit disappointed "
        "with turnaround. Does that private note count against me like private feedback used to?",
        "A private note is not the old private rating",
        "weighed heavily",
    ),
    ("my jss went up from 85 to 90 today with no new feedback, what happened?", "can rise with no new work", "fall"),
    ("my JSS went down right after a 5 star review?? how", "Good reviews do not stop a drop", "4 stars"),
    (
        "the client cancelled the contract the same day, nothing was funded. will this hurt my jss?",
        "A $0 contract that ended without feedback",
        "usually safe",
    ),
    ("a client hired me and never funded anything, $0 contract. should I close it?", "usually safe", "ended without"),
    (
        "hi, is it possible to CANCEL (not end) a contract with no payment? I made a 3D animation over 2+ weeks on a "
        "fixed price and now I can't reach the client. will ending it lower my score?",
        "Only negative feedback on it can hurt.",
        "never started",
    ),
    (
        "I closed two finished contracts yesterday and my jss went from 100 to 60, why?",
        "Ending contracts does not lower your JSS by itself",
        "no new work",
    ),
    ("what do I need to get top rated?", "a complete profile", "removes it"),
    ("client gave me 1 star on a $50 job, how bad is it?", "costs less than one on a job over $250", "4-star"),
    ("I got a 2 star review on a $2,000 project. how much will my jss drop?", "counts as 1.5 jobs", "4-star"),
    (
        "got a 2 star review in march, when does it stop counting?",
        "leaves the 12-month score around March 2026 and stops counting around March 2027",  # asked 2026-02-15
        "after about 3 months",
    ),
    ("got 1 star in January 2024, when does it stop hurting me?", "no longer counts", "around"),
    (
        "bad review 2 months ago, how long until my jss goes back up?",
        "leaves the 3-month part of the trending score around March 2026",
        "already",
    ),
    ("lost my top rated badge, how do I get it back?", "returns once", "Top Rated Plus"),
    ("if I give a full refund, does the bad review still count?", "negative feedback can still hurt", "partial"),
    ("does a partial refund hurt my jss?", "After a partial refund", "full refund"),
    ("lost my top rated plus badge, how do I get it back?", "Top Rated Plus also needs", "never"),
    ("how many weeks does my jss have to be above 90 for top rated?", "at least 13 weeks", "comes back"),
    ("my jss is back to 92, when will the top rated badge come back?", "comes back once", "at least 13 weeks"),
    (
        "I submitted the milestone 10 days ago and the client didn't approve, will I get paid?",
        "so after 10 days about 4 are left",
        "So submit the final milestone",
    ),
    (
        "does an auto-released milestone count for my jss?",
        "counts like one the client approves",
        "So submit the final milestone",
    ),
    (
        "Milestone was paid out to me automatically since the customer never reacted to my submission. Contract "
        "still says active. Do I need to do something?",
        "The contract stays open until one of you ends it",
        "Submit your work",
    ),
    ("why did I lose top rated when my jss is still 93?", "At 93% your score meets the 90%", "Falling below 90%"),
    ("bad review from 2 years and 1 month ago, is it still affecting me?", "no longer counts", "fades in stages"),
    (
        "will my jss disappear if I don't work for a year?",
        "After 12 months away your JSS still shows if 2 or more eligible jobs with 2 different clients ended in the "
        "12 months before the break",
        "It comes back once you do",
    ),
    (
        "I'm taking 6 months off for maternity leave, what happens to my JSS?",
        "ended in the 18 months before the break",
        "Time away adds no bad outcomes, but old ones keep leaving the windows, so the score can still move. It",
    ),
    (
        "I asked my client to end the order and he did (cancelled it, nothing was ever paid). will it touch my job "
        "score?",
        "A $0 contract that ended without feedback",
        "usually safe",
    ),
    ("does a long running hourly contract help my jss?", "keeps helping your score", "emails the client"),
    (
        "client withdrew the offer and sent a new one, does that affect my score?",
        "never became a contract",
        "never accept a second offer",
    ),
    ("do declined proposals affect my jss?", "do not feed the JSS", "Top Rated needs"),
    (
        "I'm top rated. if I send proposals all month and land nothing, does it affect my jss or badge?",
        "Top Rated needs a proposal, accepted invite or earnings in the last 90 days",
        "never",
    ),
    ("I lost the dispute, does it count against my jss?", "A disputed contract counts against", "one you win"),
    ("client went silent for 2 months, should I close the contract myself?", "after 2 months of silence", "ask them"),
    (
        "the job is done and paid and they just don't answer my polite messages asking them to close. Or do I close "
        "them myself?",
        "you asked the client and got no answer",
        "ask them to close it first",
    ),
    ("client went silent 3 weeks ago, should I close the contract?", "ask them to close it first", "Close it yourself"),
    (
        "I'm curious what happens to my JSS if I don't visit upwork for a long period, say a year or two, with no "
        "active contracts",
        "After 12 months away your JSS still shows",
        "Your JSS can vanish",
    ),
    (
        "My Job Success Score has disappeared from my profile. I haven't worked for about 2 years. Will it come back?",
        "After 24 months away no work is left within the last 24 months",
        "It comes back once you do",
    ),
    (
        "Newbie question: if there's a dispute both me and the client have to pay a fee just to get someone to look at "
        "it, and if I don't pay it the other side automatically wins?",
        "If only one side pays, the money goes to that side",
        "One forum report",
    ),
    ("client opened a dispute, will it hurt my jss?", "A disputed contract counts against", "mediation help"),
    ("i won the dispute, will it still count against my jss?", "Upwork has not said whether winning", "mediation"),
    ("how much will a 3 star review drop my jss?", "forum reports put one bad outcome at 4 to 11 points", "4 stars"),
    ("the client ended the contract, will that hurt me?", "The client ended it, so", "when you end it"),
    (
        "New here. I accepted an offer and like two hours later the contract went on hold, the page says 'suspended'. "
        "Is it the client who is suspended or only the contract?",
        'A contract On Hold (the page may say "Suspended") is stopped by Upwork',
        "Feedback from clients Upwork has flagged",
    ),
    (
        "Upwork ended my contract because the client's account got suspended, and he had left me 1 star earlier. will "
        "it count?",
        "does not count against your JSS",
        "On Hold",
    ),
    ("when will my new review show in my jss?", "A new review counts once it is published", "Stats and trends"),
    (
        "Fixed rate contract, about halfway done, and my client doesn't need me anymore because of something on his "
        "end. Very good relationship, he wants to pay half the contract and that's totally fair, lots of love and "
        "stars all round. But I can't find how to lower the price. How do we do it without it hurting either of our "
        "ratings? Do I request the lower amount and he ends it as 'work complete' and the rest goes back to him?",
        "you approve the escrow refund request for the rest within 7 days",
        "file a dispute",
    ),
    (
        "Client here. A freelancer shows 100% Job Success with 3 completed jobs rated 5.00, 3.00 and 1.95 and 4 long "
        "contracts in progress. How does that add up to 100%?",
        "a freelancer's long-term contracts",
        "helping your score",
    ),
    (
        "Last week I finished 4 projects, all 5 stars and one even sent a bonus. My success percentage hasn't moved at "
        "all, still 96 like before. Shouldn't it go up?",
        "New 5-star jobs do not always move the score at once",
        "A bad outcome fades in stages",
    ),
    ("how often does the job success score update?", "updates daily", "A new review"),
    ("client gave me 1 star on a $300 job, how bad is it?", "$251 to $1,000 as 1.25", "4-star"),
    ("my jss dropped from 95 to 89 overnight, why?", "can fall with no new work", "Ending a contract"),
    (
        "Three milestone fixed price job, client paid 1 and 2 no problem. Day 14 after I submitted the 3rd he ended "
        "the contract with no comment and sent an escrow refund request for the whole milestone. I haven't answered "
        "yet. If this goes to dispute/arbitration can I win, and do I get the arbitration fee back if I do?",
        "First answer the escrow refund request: leaving it unanswered for 7 days approves it",
        "One forum report",
    ),
    (
        "He asked for his money back and ended the contract, so I filed a dispute. Now he says he redid it himself. "
        "What are my options?",
        "A payment dispute goes first",
        "First answer the escrow refund request",
    ),
    (
        "Fixed milestone got auto-released to me after 14 days. Weeks later the client demanded changes, so I ended "
        "the contract. Does it still count for my JSS?",
        "counts like one the client approves",
        "end it so feedback can be left",
    ),
    ("I have completed 3 jobs but still no jss, why?", "You have 3 jobs done; a JSS needs 2 eligible ones", "Rising"),
    (
        "When did they change the rule that you need 2 clients instead of 4 contracts for a jss?",
        "",
        "You have 4 contracts",
    ),
    (
        "Is there a way to end the contract without the client being notified to give feedback? He was a nightmare",
        "No: whoever ends the contract, the client can leave feedback for 14 days",
        "Either of you can end it",
    ),
    (
        "had a client with impossible requirements so i ended the contract, and now they've left me a nasty rating and "
        "comment out of spite. is there any way to hide that feedback from my profile?",
        "You cannot hide a review yourself",
        "cannot be edited once posted",
    ),
    (
        "my jss dropped from 95 to 89 and nothing changed, why?",
        "With nothing new, your JSS still moves",
        "recent contract",
    ),
    (
        "is it ok to keep a long term hourly contract open for occasional work?",
        "so keeping a long-term contract open for occasional work is fine",
        "So a steady",
    ),
    # session 9 (batch 18's answers read): a badge feared for, not lost; time away beside the badge; the asker's
    # biggest contract against Top Rated Plus's "large"; a milestone never submitted; a window's score against the one
    # shown; no feedback on a contract that paid; one contract or a new one per project; the reason picked at the end
    (
        "I'm taking 8 months off for my baby, I'm Top Rated since 2 years. will i lose top rated? will my jss drop?",
        "so the score can still move. Top Rated needs some activity in the last 90 days",
        "something else removed it",
    ),
    (
        "going offline for about 2 and a half months, will I keep my top rated badge?",
        "A break of 2.5 months is within the 90 days Top Rated allows",
        "Falling below 90%",
    ),
    (
        "still no top rated plus even with $30k earned last year, my largest contract was $3,000. what's missing?",
        "Your biggest, $3,000, is under even the smallest of those",
        "Falling below 90%",
    ),
    (
        "fixed price, money is in escrow, I finished 3 weeks ago but never clicked submit. should I end the contract?",
        "Submit your work as a milestone",
        "it is due",
    ),
    (
        "my job success insights show 100% for 6 months but my profile says 89, why isn't the best one shown?",
        "a window is used only when it holds enough outcomes from enough clients",
        "To be more precise",
    ),
    (
        "contract ended 10 days ago and the client still left no feedback. if he never does, does it count at all?",
        "a contract that ends without feedback is left out of your JSS",
        "$0",
    ),
    (
        "client wants to give me another project: new offer or new milestone on the same contract, which is better "
        "for jss?",
        "Either works for your JSS",
        "Upwork does not close idle",
    ),
    (
        "my hourly contract has been open for 8 months, paid and done, the client said he would close it and never "
        "did. I messaged him about closing twice. Should I end it myself?",
        "Close it yourself: you asked the client and it is still open after 8 months",
        "ask them to close it first",
    ),
    (
        "jss went from 97 to 93 overnight, no contract ended, no new feedback, nothing. why?",
        "With nothing new, your JSS still moves as time passes",
        "a recent contract was counted as poor",
    ),
    (
        "all my reviews show 5 stars but one is 4.6 when I hover, does that hurt my jss?",
        "Your star average is not what the JSS is built from",
        "six unequally weighted",
    ),
    (
        "my rising talent badge is gone, why? can I get it back?",
        "It likely returns if you qualify again",
        "Off-platform",
    ),
    (
        "I finish 3 jobs with 3 different client, all 5 star. still no JSS, why?",
        "You have 3 jobs done",
        "Until then you may have Rising Talent",
    ),
    (
        "one big hourly contract, $12,000 over 9 months, ended with 3 stars. does it weigh more than my small gigs?",
        "A $12,000 job counts as 1.5 jobs for its pay, and 9 months of payments add 3 more",
        "up to $250 counts as 1 job",
    ),
    (  # the months counted from the day the contract is told to have run since
        "I've had an hourly contract with one client since May 12, 2025, about $2,800 paid so far. If they end it with "
        "a bad review how much will it hurt compared to my small jobs?",
        "A $2,800 job counts as 1.5 jobs for its pay, and 9 months of payments add 3 more",
        "counts as 1.5 jobs among your outcomes",
    ),
    (  # the day the bad contract ended, told in the sentence with its rating: each window's exact last day
        "A client ended the contract on 28 August 2025 and left 1 star. Since then I've closed 5 more contracts, all 5 "
        "stars, and I'm at 89%. On what date exactly does that contract fall out of the 6-month window?",
        "The bad outcome of the contract that ended on 28 August 2025 has already left the 3-month part of the "
        "trending score; it leaves the 6-month and trending scores on 1 March 2026",
        "With 5 contracts",  # 5 more contracts, besides the bad one and those before: no formula on 5
    ),
    (  # the day it leaves a window is today: said so, not "already left"
        "My 2-star contract ended on 14 August 2025. On which day does it drop out of the 6-month score?",
        "it leaves the 6-month and trending scores today, 15 February 2026, leaves the 12-month score on 15 August "
        "2026",
        "has already left the 3-month part of the trending score and the 6-month",
    ),
    (  # a dispute first, then "how long do I carry it?": the 1-star's own days after the dispute's lead
        "Client opened a dispute on Dec 8 over a $550 milestone, settled in my favour on Feb 10. But he had already "
        "closed the contract on Dec 22 and left 1 star. Will it be taken out of my JSS? If not, how long do I carry "
        "it, until June? December 2027?",
        "leaves the 6-month and trending scores on 23 June 2026, leaves the 12-month score on 23 December 2026 and "
        "stops counting on 23 December 2027",
        "Since December 2023 you need",  # "December 2027?" alone is no question about the eligibility change
    ),
    (  # a day told beside a 5-star job dates no bad outcome exactly
        "My JSS went from 96% to 91% last week. My biggest job, a $3,200 build with a glowing 5-star review, ended on "
        "August 8 last year. I did have a 2-star back in spring 2024. Will it recover on its own?",
        "",
        "The bad outcome of the contract that ended on 8 August 2025",
    ),
    (  # "I have 6 other jobs" beside the weak one: 7 in all
        "Just got my first bad review: 2 stars on a $90 job. I have 6 other jobs, all 5 stars, and my JSS was 100. "
        "How much will it drop?",
        "With 7 jobs and one weak rating among them",
        "With 6 jobs",
    ),
    (  # a change of rating offered: how editing works, not the 14-day window for leaving it
        "Client left 3 stars on Feb 6 because the last revision was late. I fixed everything this week and he says "
        "he's happy to change it to 5. Is there a deadline for that, like 14 days after the contract ended (Feb 4)? "
        "And what do I need to do on my side?",
        "The client can change it once you enable feedback editing for them on that contract",
        "Feedback can be left for 14 days after the contract ends",
    ),
    (  # jobs told one by one are counted; "or do I need a third job?" asks about one more
        "New here. First contract (client A) ended Jan 12 with 5 stars, $120. Second contract with client B ends Feb "
        "20 and she says she'll leave feedback. Will I have a JSS right after that, or do I need a third job? I "
        "currently have the Rising Talent badge.",
        "You have 2 contracts done; a JSS needs 2 eligible ones with 2 different clients",
        "You have 3",
    ),
    (  # the badge asked about, not the score: Rising Talent's own rule answers
        "I have Rising Talent since November and 2 finished contracts with 2 different clients, both 5 stars. Someone "
        "told me when the JSS comes the Rising Talent goes away. Is it true? And the weeks I had Rising Talent, are "
        "they counted for Top Rated later?",
        "Weeks as Rising Talent count toward Top Rated",
        "You have 2 contracts done",
    ),
    (  # what one more bad outcome costs, on the jobs the asker counts
        "roughly how many jss points does one disputed milestone cost? im 98% with like 20 jobs",
        "(20 - 1) / 21 = 90%; if it only fails to count as a success, 20 of 21 is 95%. From your 98%, that is a "
        "drop of about 3 to 8 points",
        "A rough model, not Upwork's",
    ),
    (  # the bad job's pay weighs it, and the badge's 90% is set against the low end
        "12 completed jobs, all 5 stars, JSS 100%, and I just got Top Rated in January. A client on a $300 job told me "
        "he's going to leave 3 stars. Realistically, where am I going to land, and should I expect to lose the badge?",
        "(12 - 1.25) / 13.25 = 81%; if it only fails to count as a success, 12 of 13.25 is 91%. From your 100%, that "
        "is a drop of about 9 to 19 points. At the low end you would be under the 90% Top Rated needs",
        "Top Rated needs a JSS of 90%+ now",
    ),
    (  # a deadline asked first stays first, whatever the jobs told beside it
        "Client ended the fixed-price contract yesterday and I got an escrow refund request for the full $750. How "
        "many days do I have to respond? If I dispute it, does the dispute itself count against my JSS? I'm at 98% "
        "with 30 jobs",
        "Your last day to answer is",
        "Counting your 30 jobs",
    ),
    (  # money paid on a $0 contract after all: it is a job like any other
        "client sent $25 bonus on my $0 test contract + 5 stars. will the reveiw show on profile now?",
        "Once $25 is paid, it is no longer a $0 contract: its public feedback shows in your Work History",
        "A $0 contract that ended without feedback",
    ),
    (  # advice to have $1 paid is no payment
        "Dear seniors, in 2019 my mentor taught me one rule: never let any contract close with $0, always ask client "
        "to pay at least 1 dollar or log 10 minutes. Now a client who paid nothing wants to close the contract. Is "
        "this rule still needed in 2026?",
        "",
        "Once $1 is paid",
    ),
    (  # the Plus named in passing beside plain Top Rated, the biggest contract told without "$"
        "earned about 14k last 12 months top rated but no plus badge, biggest single contract was 3200. is that the "
        "reason",
        "Your biggest, $3,200, is under even the smallest of those",
        "covers the $1,000 earned in 12 months that Top Rated needs",
    ),
    (  # "ended my fixed-price contract on Feb 11" dates the escrow refund request that came with it
        "Client ended my fixed-price contract on Feb 11 while the last milestone ($450) was still in escrow, and an "
        "escrow refund request showed up the same day. How long do I have left to dispute it?",
        "Your last day to answer is 18 February 2026 (3 days from now)",
        "You do not have to accept",
    ),
    (  # the escrow refund request's day, told as "requested a refund through escrow on", starts its 7 days
        "Client requested a refund through escrow on Jan 30 for my $400 fixed job. How long do I have to dispute it?",
        "The 7 days to answer ran out on 6 February 2026 (the request came on 30 January 2026)",
        "You do not have to accept",
    ),
    (
        "an $800 job ended with 2 stars, how bad is that for my jss?",
        "An $800 job counts as 1.25 jobs",
        "A $800",
    ),
    # a client asking is answered about the freelancer's score, in the client's terms
    (
        "client here. the freelancer did a great job, he asked me to end the contract and leave feedback. does it "
        "matter for him if I just leave it open?",
        "It matters to the freelancer: an open contract adds nothing to their JSS",
        "your JSS",
    ),
    (
        "as a client, if I end the contract early will it count against the freelancer's JSS?",
        "Ending the contract does not count against the freelancer by itself",
        "your JSS",
    ),
    (
        "(client here) fixed price, I funded a milestone but the freelancer is too slow. If I end it, do I get the "
        "escrow back or does he have to agree?",
        "The freelancer does not have to agree, but the money comes back to you unless they contest it",
        "You do not have to accept",
    ),
    (
        "I'm a client. I hired a freelancer but no work started and nothing was paid. if I cancel, will it hurt his "
        "job score?",
        "does not count toward the freelancer's JSS",
        "toward your JSS",
    ),
    (
        "I submitted the milestone and the payment auto-releases in 3 days, client silent. will I get paid?",
        "14 days after you submitted it",
        "are left",
    ),
    (
        "how do I answer a bad review? the contract ended 20 days ago",
        "within 28 days after the contract ends, so after 20 days about 8 are left",
        "may take up to 24 hours",
    ),
    (
        "account on hold after several clients left negative feedback, I cannot send proposals. how long will it last?",
        "one says 14 days",
        "under 1%",
    ),
    (
        "Upwork sent me an email that my client satisfaction is below their standards and my account may be closed in "
        "30 days. can they really do that?",
        "That notice is Upwork's warning about persistently low client satisfaction",
        "An older Help article",
    ),
    (
        "closing a contract myself, which end reason should I choose, does the reason matter for my jss?",
        "No published source says the reason you pick changes your JSS",
        "your rating as a client",
    ),
    # session 10: the published formula on the asker's few jobs with one weak rating, and the score they told
    (
        "Finally got my first JSS after 4 jobs... and it's 62%?!? Three clients gave 5 stars, one gave 3 stars on a "
        "tiny $40 job. How does that make 62?",
        "gives (3 - 1) / 4 = 50%; if the weak one only fails to count as a success, 3 of 4 is 75%. Your 62% sits "
        "between the two",
        "Seven jobs with one 1-star review",
    ),
    (
        "How much does a single 1 star review hurt when I only have 5 jobs done?",
        "(4 - 1) / 5 = 60%",
        "sits between",
    ),
    (
        "one big hourly contract, $12,000 over 9 months, ended with 3 stars, beside 6 small jobs. does it weigh more?",
        "A $12,000 job counts as 1.5 jobs",
        "published formula",
    ),
    (
        "Most of my jobs are $300-$800. how much would one 3-star on a $180 job cost me, I have 12 contracts at 100%?",
        "(11 - 1) / 12 = 83%",
        "A $300 job",
    ),
    # clients asking: their refund, dispute, auto-closure, rating's stars and what helps, about the freelancer's score
    (
        "I'm a client. She offered to refund the whole $400. If she refunds me and I still leave 2 stars, does that "
        "still count against her score?",
        "A refund does not count against the freelancer's JSS by itself; your rating does",
        "your JSS",
    ),
    (
        "client here - besides leaving 5 stars, is there anything i can do that actually helps my freelancer's jss?",
        "Besides 5 stars: end the contract once the work is done",
        "There is no shortcut",
    ),
    (
        "client here, upwork keeps emailing that my fixed price contract will be auto closed for inactivity. "
        "freelancer is on leave till april. can i just keep postponing it?",
        "Only twice: you can stop the auto-closure",
        "Submit your work",
    ),
    # the asker's own figures: eligible weeks told, earnings told beside Top Rated Plus, work never started
    (
        "My score is 93 now and My Stats shows 11 of 16 eligible weeks. when does top rated come back?",
        "At 11 of 16 you need 13, so at least 2 more weeks",
        "up to about 13 weeks",
    ),
    (
        "i am TR since 1 year and earned around 14k last 12 month, why still not getting TR plus? what is missing",
        "Your $14,000 is over the $10,000 in 12 months that Top Rated Plus needs, so what is most likely missing",
        "Falling below 90%",
    ),
    (
        "Top Rated Plus: I make way over 10k a year so it's not the earnings. what else do I need?",
        "Top Rated Plus also needs over $10,000",
        "short of it",
    ),
    (
        "client funded the milestone and went silent. I couldn't start because he never sent the files. the contract "
        "will go dormant soon, does the money go back to him automatically?",
        "You do not have to click anything",
        "Submit your work",
    ),
    (
        "Completed 3 contracts: first two with the same client (5 stars both), the third client paid $90 but closed "
        "it without giving any feedback. still no JSS, what am I missing?",
        "your jobs for the same client count as one client and the one that ended without feedback does not count",
        "Until then you may have Rising Talent",
    ),
    (
        "I've finished 6 jobs, every one with a different client, and still no JSS. Two clients didn't leave feedback.",
        "You have 6 jobs done",
        "From what you tell",
    ),
    # badges and bands with what the asker told: no proposals sent, a first JSS replacing Rising Talent, the JSS told
    (
        "I'm Top Rated with 98% JSS but I haven't sent any proposals since November. Today I got a notification "
        "that I might lose Top Rated. why?",
        "with no proposals sent, that is most likely it",
        "Falling below 90%",
    ),
    (
        "my rising talent badge disappeared last month. I was busy with exams and not applied to any job since "
        "October. why?",
        "Most likely the time without proposals you tell of",
        "Off-platform",
    ),
    (
        "rising talent question: I have no jss yet, will not sending proposals for 3 months remove my rising talent?",
        "Likely yes: Rising Talent is removed after 90 days without proposals",
        "Most likely the time",
    ),
    (
        "got my first jss today (100%!!) but my rising talent badge is gone. did i do something wrong?",
        "That is expected: Rising Talent is for freelancers without a JSS",
        "It needs a passed readiness test",
    ),
    ("is 84% jss bad? do clients skip you if you're under 90?", "At 84% you are in the solid band", "in the top band"),
    (
        "my hourly contract has 0 hours since sept. will it go dormant and auto close like the fixed price ones do?",
        "Hourly contracts do not go dormant",
        "Submit your work",
    ),
    (
        "cant submit proposals, banner says my account is on hold bc of recent client feedback and something about "
        "doing a course. how long?",
        "finish it, and access comes back the following Monday",
        "one says 14 days",
    ),
    (
        "Agency owner here, we hire contractors on Upwork for overflow dev work. One contractor has been with "
        "us 8 months on an hourly contract, about $22k billed. The last two months quality dropped a lot "
        "(missed standups, buggy PRs) and we're ending it next week. I want to be honest in the review, "
        "probably 3 stars, but I know freelancers live and die by the JSS and he was great for most of the "
        "engagement. Does a 3 star on a big, long contract hit him harder than it would on a small one-off? "
        "Trying to decide whether to put the criticism in the public review or just tell him directly.",
        "so about 3.5 jobs among the freelancer's outcomes",
        "your outcomes",
    ),
    # batch 21's reader: the asker's own review of the client, a rise with no job closed, jobs on another platform
    (
        "i forgot to give feedback to my client, now 3 week passed. it is possible still to give?",
        "The review you leave for the client does not feed your JSS",
        "left out of your JSS",
    ),
    (
        "My JSS jumped from 88% to 94% and I haven't closed any job since early December. did an old 1-star expire?",
        "Your JSS can rise with no new work too",
        "One new good job",
    ),
    (
        "Moving over from Fiverr (about 300 orders there). how many completed jobs until Upwork gives me a Job Success "
        "number?",
        "You get a JSS after 2 eligible jobs with 2 different clients",
        "300 jobs",
    ),
    (
        "The client is threatning to open a dispute and leave 1 star if I don't refund 100%. Should I just refund to "
        "protect my score?",
        "Do not pay for a rating: a client who threatens a bad review to get a refund is pressuring you",
        "Top Rated removal perk",
    ),
    (
        "does not having any long-term clients hurt my jss? I only do one-off jobs",
        "Upwork's current JSS FAQ says not having long-term relationships does not count against you",
        "up to 8 jobs' worth",
    ),
    (
        "Im new freelancer, 2 jobs done with 2 clients, both 5 star, when my JSS appear?",
        "your jobs with different clients should qualify",
        "count as one client",
    ),
    (
        "Client here. Hired a VA for a trial week and paid her $85. I want to end it without writing a review. Is "
        "closing without feedback a negative for her?",
        "a contract that ends without feedback is left out of it",
        "$0",
    ),
    (
        "FP contract, $1,200 in escrow for milestone 3. I haven't done that part because he never sent the login, so "
        "nothing to submit really. The contract is about to go dormant, does Upwork take the money back?",
        "You do not have to click anything",
        "Submit your work",
    ),
    (
        "missed the 14 day window to review my client. any way to still leave it? he left me 5* and i feel bad",
        "the client's feedback about you decides, and theirs is already in",
        "left out of your JSS",
    ),
    (
        "how did my jss jump from 86 to 93 overnight after ONE 5 star job? makes no sense mathematically",
        "One new good job can move it that much",
        "with no new work",
    ),
    (
        "my client paused our hourly contract for the holidays, 14 months together. will the pause hurt my jss?",
        "as a long-term contract for as long as it is paid at least every 90 days",
        "counts only once it ends",
    ),
    (
        "how much would one 4-star review drop a 100% jss with about 10 contracts?",
        "gives 9 of 10 = 90% if that rating only fails to count as a success, and (9 - 1) / 10 = 80% at worst",
        "(9 - 1) / 10 = 80%; if",
    ),
    (
        "I'm a client. We have an hourly contract, last logged time was May. Upwork emails me to pause or end it. "
        "Will Upwork close it on its own if I ignore the emails?",
        "No automatic closure of hourly contracts is known",
        "It matters to the freelancer",
    ),
    (
        "wheres the button to remove one feedback as top rated?? cant find it anywhere in settings",
        "There is no button any more",
        "Upwork removes a review only if",
    ),
    # session 11: the asker's figures against Top Rated's bars; a badge never had was not removed
    (
        "6 jobs since october, all 5 stars, JSS 100%, total earnings are $640 so far. why am I not top rated yet? "
        "do I need to apply somewhere?",
        "Your $640 is under the $1,000 earned in 12 months that Top Rated needs",
        "Falling below 90%",
    ),
    (
        "My JSS is 95% now but still no Top Rated badge. Joined in August, earned $3,100. What am I missing?",
        "At 95% your score meets the 90% Top Rated needs now, and your $3,100 covers the $1,000",
        "removed it",
    ),
    (
        "I thought you need 4 finished jobs for a JSS? I have 2 done with two clients and it shows 100% already",
        "You get a JSS after 2 eligible jobs",
        "You have 4",
    ),
    (
        "client gave me 5 stars on a $0 test task, never paid. does that 5 star help my jss?",
        "A $0 contract that ended without feedback, or with positive feedback, does not count",
        "closing one that never started",
    ),
    (
        "I'm the client. I sent a second offer because the first had the wrong rate and the freelancer accepted "
        "both. If I close the empty one, does it count against her?",
        "Closing the unused contract will not count against the freelancer",
        "never accept a second offer",
    ),
    (
        "Client here: I gave my developer 4 stars by mistake, meant 5. Can I change my rating?",
        "Yes, if the freelancer allows it",
        "Ending the contract does not count",
    ),
    (
        "I'm a client. Gave 5 stars, but wrote in the private note that he was late twice. Will my private note "
        "lower his JSS?",
        "goes to the freelancer as a message, not as a rating",
        "rating you cannot see",
    ),
    (
        "By my math my 24-month score should be about 88 but my profile shows 95. why higher? is it gonna crash "
        "back down?",
        "Upwork shows the best of",
        "can fall",
    ),
    (
        "my client left 3 stars as mid-contract feedback, the contract is still open. will it hit my jss now? I'm at "
        "91 and top rated",
        "No: feedback given in the middle of a contract does not count toward your JSS, so it does not put your badge",
        "Public feedback given",
    ),
    (
        "6 jobs since october, all 5 stars, JSS 100%, total earnings are $870. why am I not top rated yet?",
        "Your $870 is under the $1,000 earned in 12 months that Top Rated needs",
        "Top Rated Plus",
    ),
    (
        "Ukrainian freelancer here. My JSS was 97% in 2022 and protected, now it shows 90% after a 3 star. Is the "
        "Ukraine protection still working?",
        "No end has been announced",
        "A score that does not fall below",
    ),
    (
        "Hold banner on my account after two 2-star reviews, can't send proposals. How long does it last, can I do "
        "a course or appeal to lift it faster?",
        "How long it lasts depends",
        "The hold you describe names a course",
    ),
]


@pytest.mark.parametrize(("question", "phrase", "absent"), LEADS_IN_THE_ASKERS_TERMS)
async def test_the_direct_answer_fits_what_the_asker_told(
    services: Services, question: str, phrase: str, absent: str
) -> None:
    """A score that rose is not explained as a drop; Top Rated Plus only when asked; a milestone already submitted,
    or already released, is not told to be submitted."""
    answer = await services.questions.ask("nobody", question, personal=False)
    assert phrase in answer.description and absent not in answer.description, answer.description
    assert "…" not in answer.description, answer.description  # the product's own words are never cut


async def test_folklore_the_post_repeats_is_corrected_once(services: Services) -> None:
    """ "Not Top Rated, so I can't get it removed" is corrected (the perk ended for everyone); a myth whose correcting
    rule already answers the question is not said again under "Folklore check"."""
    answer = await services.questions.ask(
        "nobody",
        "Score dropped from 90 to 79 after a 5 star review. I'm not top rated so I can't get the feedback removed. "
        "Is there anything I can do?",
        personal=False,
    )
    assert "Until 3 September 2024" in _prose(answer), _prose(answer)
    answer = await services.questions.ask(
        "nobody", "Does an auto close with no feedback count against me?", personal=False
    )
    assert "left out of your JSS" in answer.description, answer.description
    assert [f.name for f in answer.fields if "Folklore" in f.name] == [], _prose(answer)
    assert "Since 8 November 2020" not in _prose(answer), _prose(answer)


async def test_a_claim_asked_about_is_corrected_beside_the_situations_answer(services: Services) -> None:
    """ "Do you need to earn $1k before you get a JSS?" with jobs for one client: the lead answers the situation and the
    claim is corrected under "Folklore check" (E-NO-EARNINGS-MIN); asked whether a claim is true ("3% max, true?"),
    its correction comes first, before the lead; years on Upwork are no 48-month window."""
    answer = await services.questions.ask(
        "nobody",
        "Do you need to earn $1k before you get a JSS? I've done 3 small jobs, all closed with 5 stars, all for the "
        "same client, and still no score.",
        personal=False,
    )
    assert "The $1,000 in 12 months is a Top Rated requirement" in _prose(answer), _prose(answer)
    answer = await services.questions.ask("nobody", "someone said a refund drops jss by 3% max, true?", personal=False)
    # the claim checked is folklore: "No." first (round 22), then its correction
    assert answer.description.startswith("No. A forum claim says a refund lowers the JSS by at most 3"), (
        answer.description
    )
    answer = await services.questions.ask(
        "nobody",
        "2 jobs done with 2 clients, $140 earned. A guy in a group said a JSS only shows after you earn $1000. Is it "
        "true?",
        personal=False,
    )
    assert answer.description.startswith("No. There is no known earnings minimum for having a JSS"), answer.description
    answer = await services.questions.ask(
        "nobody",
        "I'm a designer, 4 years on Upwork, 70 jobs, JSS 97%. If I refund a $200 job fully, does it still count?",
        personal=False,
    )
    assert "48-month" not in _prose(answer), _prose(answer)


async def test_a_myth_answered_by_the_lead_is_not_said_twice(services: Services) -> None:
    """The first rule's statement corrects the claim: no "Folklore check" repeating it word for word."""
    answer = await services.questions.ask(
        "nobody", "since when do no-feedback contracts not count? an old thread says they kill it", personal=False
    )
    assert _prose(answer).count("Since 8 November 2020") == 1, _prose(answer)


async def test_figures_asked_about_are_not_the_askers(services: Services) -> None:
    """ "$10k or $20k for me?" offers two thresholds, it tells no earnings; a review "from jan 2024" is dated."""
    answer = await services.questions.ask(
        "nobody", "agency member here, is top rated plus $10k or $20k earnings for me?", personal=False
    )
    assert "Your $20,000" not in answer.description, answer.description
    assert "$20,000 for an agency" in answer.description, answer.description
    answer = await services.questions.ask(
        "nobody", "does a bad review from jan 2024 still count? some1 said its 48 months now", personal=False
    )
    assert "January 2024" in answer.description and "2022" not in answer.description, answer.description


async def test_rising_talent_is_not_explained_twice(services: Services) -> None:
    answer = await services.questions.ask("nobody", "lost RT badge at week 11, why?", personal=False)
    text = _prose(answer)
    replaced = ["a JSS replaces it automatically", "once a JSS appears it replaces the badge"]
    assert sum(phrase in text for phrase in replaced) <= 1, text


SUPPORT = [
    # (a score question that also asks about turning to support, the support sentence expected under "You also asked")
    (
        "closed 2 completed contracts yesterday, both satisfied, and today my score went 100% -> 60%. Should I contact "
        "support?",
        True,
    ),
    ("jss crashed from 100 to 60 after I ended two contracts myself. can upwork recheck my score", True),
    ("How often do they recalculate the job success now? every sunday?", False),
    ("my client went silent, should I contact support or close the contract myself?", False),
]


@pytest.mark.parametrize(("question", "expected"), SUPPORT)
async def test_asking_to_contact_support_about_a_score_is_answered(
    services: Services, question: str, expected: bool
) -> None:
    """No rule's statement says what support can do about a score; the post's "should I contact support?" still
    gets an answer (and F-FORMULA, which it rests on, among the sources), only when the score is what they ask about."""
    answer = await services.questions.ask("nobody", question, personal=False)
    further = {f.name: f.value for f in answer.fields}.get("You also asked", "")
    assert ("Support will not recalculate your JSS" in further) is expected, answer.fields
    assert ("F-FORMULA" in answer.data["rules"]) is expected or not expected
    if expected:
        assert "F-FORMULA" in answer.rule_ids


async def test_the_sources_are_the_rules_the_answer_rests_on(services: Services) -> None:
    """A rule merely ranked next to the first, whose words the answer never uses, is not listed as a source (it
    read as an unrelated link); the first rule and the rules the lead puts into words are."""
    from bot.qa.understand import understand

    question = "closed 2 completed contracts yesterday, both clients satisfied, and today my score went 100% -> 60%."
    ranked = understand(question, date(2026, 2, 15), []).rules
    assert "C-OPEN-INACTIVE-JSS" in ranked[1:4], ranked  # ranked, but the answer says nothing of idle contracts
    answer = await services.questions.ask("nobody", question, date(2026, 2, 15), personal=False)
    assert "C-OPEN-INACTIVE-JSS" not in answer.rule_ids and "C-OPEN-INACTIVE-JSS" not in answer.description
    assert answer.rule_ids[0] == ranked[0] and "W-AGE-OUT" in answer.rule_ids  # the lead's "older good work left"


@pytest.mark.parametrize(
    ("question", "phrase", "absent"),
    [
        (
            "my hourly client is rude, can I end the contract myself? do I lose the hours I logged this week?",
            "hours already logged are billed as usual",
            "escrow",
        ),
        (
            "fixed price, $600 in escrow, can I end the contract myself without losing the money?",
            "unreleased escrow goes back to the client",
            "hours already logged",
        ),
    ],
)
async def test_ending_a_contract_yourself_speaks_of_its_kind(
    services: Services, question: str, phrase: str, absent: str
) -> None:
    answer = await services.questions.ask("nobody", question, personal=False)
    assert phrase in answer.description and absent not in answer.description, answer.description
    assert "…" not in answer.description, answer.description  # the product's own words are never cut


ASKED_ON = date(2026, 2, 15)

DATED_COUNTS = [
    (
        "contract end 4 february, client not give feedback yet. until wich day he can do it?",
        "FB-14DAYS",
        "counted from 4 February 2026, that is until 18 February 2026 (3 days from now)",
    ),
    (
        "A client left a harsh review and the contract ended on Jan 5. Am I too late to reply to it?",
        "FB-RESPOND",
        "Too late to reply",
    ),
    (
        "Got a 3-star review yesterday (contract closed Feb 9). The client went silent for 11 days before. If I reply,"
        " can I edit it later? Is there a deadline?",
        "FB-RESPOND",
        "counted from 9 February 2026, that is until 9 March 2026 (22 days from now)",
    ),
    (
        "I submitted the final milestone on February 10 and the client is silent. when does it auto release?",
        "C-FP-AUTO-RELEASE",
        "counted from 10 February 2026, that is until 24 February 2026 (9 days from now)",
    ),
]


@pytest.mark.parametrize(("question", "rule", "phrase"), DATED_COUNTS)
async def test_a_day_count_runs_from_the_day_the_asker_names(
    services: Services, question: str, rule: str, phrase: str
) -> None:
    """The feedback, reply and auto-release windows are worked out to the day from the day the post names for their
    start, before any other span it tells ("went silent for 11 days" is no time since the end)."""
    answer = await services.questions.ask("nobody", question, ASKED_ON, personal=False)
    assert answer.data["rules"][0] == rule, answer.data
    assert phrase in answer.description
    assert "17 are left" not in answer.description


async def test_a_reply_asking_for_the_deadline_gets_no_other_window(services: Services) -> None:
    """'Is there a deadline?' beside a reply question asks for the reply's 28 days, not the feedback's 14."""
    question = "Got a 3-star review (contract closed Feb 9). If I reply, can I edit it later? Is there a deadline?"
    answer = await services.questions.ask("nobody", question, ASKED_ON, personal=False)
    assert answer.data["rules"][0] == "FB-RESPOND"
    assert "FB-14DAYS" not in answer.data["rules"], answer.data["rules"]


async def test_figures_that_are_not_the_askers_are_not_used_as_theirs(services: Services) -> None:
    """A friend's '100 to 90' is not 'your 90%'; '2 active contracts' are no finished jobs; '$1000 earned' asked as a
    requirement is no earnings; a break runs from the last contract's month, not over 'since 2019'."""
    answer = await services.questions.ask(
        "nobody",
        "My friend got 1 star on a $20 job and lost 10 percent, from 100 to 90. I have 12 projects and 100% now and"
        " a client says he will give me 3 stars. Is a bigger project a bigger punishment?",
        ASKED_ON,
        personal=False,
    )
    assert "Your 90%" not in answer.description, answer.description
    answer = await services.questions.ask(
        "nobody",
        "My JSS was 98 and today it is 91. No project closed since December. I have only 2 active contracts, both"
        " hourly. Last July one project closed with 3 stars. How can it fall if nothing happened?",
        ASKED_ON,
        personal=False,
    )
    assert "(1 - 1) / 2" not in answer.description, answer.description
    answer = await services.questions.ask(
        "nobody", "do i need 1000$ earned to even get a jss or is that only a top rated thing", ASKED_ON, personal=False
    )
    assert "Your $1,000" not in answer.description, answer.description
    answer = await services.questions.ask(
        "nobody",
        "I was on Upwork since 2019 with 97% JSS. I stopped working completely, the last contract I finished was in"
        " January 2024. Now I am back and there is no JSS at all. Why is my score gone?",
        ASKED_ON,
        personal=False,
    )
    assert "85" not in answer.description and "25.5 months" in answer.description, answer.description
    answer = await services.questions.ask(
        "nobody",
        "I had JSS 96% and 14 jobs. In 2023 I stop working, I not open my account almost two years. Now my profile"
        " show no JSS at all. Where my 96% go?",
        ASKED_ON,
        personal=False,
    )
    assert "After 24 months away" in answer.description, answer.description  # the span told, not 2023's end


async def test_a_threat_told_with_otherwise_is_a_threat_and_a_rating_still_to_give_is_not_in(
    services: Services,
) -> None:
    answer = await services.questions.ask(
        "nobody",
        "Client approved the milestone and paid $350. Now he wants payment back 50% otherwise he will give me 1 star."
        " Should I give him the money back to save my score or can I report him?",
        ASKED_ON,
        personal=False,
    )
    assert answer.description.startswith("Do not pay for a rating"), answer.description
    answer = await services.questions.ask(
        "nobody",
        "client forget review, 14 days is passed already. he want give 5 star now, possible??",
        ASKED_ON,
        personal=False,
    )
    assert "already in" not in answer.description, answer.description


async def test_a_top_rated_freelancer_asking_whether_to_close_is_answered_about_closing(services: Services) -> None:
    """The badge feared, not lost: closing is answered (it does not cost the badge by itself; one at a time), with the
    asker's score against the 90% bar, and nothing says the badge was removed."""
    answer = await services.questions.ask(
        "nobody",
        "Top Rated, 92% JSS. 4 clients ghosted after the work was done, inactive 2 to 5 months. Should I close them"
        " myself? All at once? I'm terrified of losing the badge",
        ASKED_ON,
        personal=False,
    )
    assert answer.description.startswith("Closing a contract does not by itself cost you Top Rated"), answer.description
    assert "Your 92% stays at or above the 90%" in answer.description
    assert "removed it" not in answer.description


async def test_a_course_someone_else_speaks_of_is_not_the_holds_message(services: Services) -> None:
    answer = await services.questions.ask(
        "nobody",
        "Upwork put a hold on my account because several clients left negative feedback. How long is this hold?"
        " Someone in my city says there is a course to complete, someone says wait 6 months.",
        ASKED_ON,
        personal=False,
    )
    assert "The hold you describe names a course" not in answer.description, answer.description
    assert "depends on the version" in answer.description, answer.description


async def test_several_silent_clients_get_the_closing_verdict_and_the_one_at_a_time_advice(services: Services) -> None:
    """'Two hourly clients went quiet ... will closing them tank my JSS? not both at once?': whether to close comes
    first (the staggering tactic ranked first does not replace it), then how to close several."""
    answer = await services.questions.ask(
        "nobody",
        "Two hourly clients went quiet on me. Both said they had to take a break and now it's been well over two months"
        " without a reply. Will closing them tank my JSS? I also don't want them sitting open forever.",
        ASKED_ON,
        personal=False,
    )
    assert answer.description.startswith("Close them yourself"), answer.description
    assert "With several, close them one at a time" in answer.description


async def test_window_scores_told_are_worked_through(services: Services) -> None:
    """The asker's window scores: the trending score from their 6- and 3-month ones; a profile score above every window
    told is the trending one, with the 3-month score it needs; no follow-up about what changed."""
    answer = await services.questions.ask(
        "nobody",
        "Something weird on my Job Success insights page today: 24-month score 91%, 12-month 89%, 6-month 95%. But the"
        " JSS on my profile says 97%. How is the displayed number higher than every window? Is it a glitch that will"
        " get corrected, I don't want them to fix me down to 89",
        ASKED_ON,
        personal=False,
    )
    assert "your profile's 97% is above all of them" in answer.description, answer.description
    assert "3-month score near 99%" in answer.description
    assert "To be more precise" not in answer.description
    answer = await services.questions.ask(
        "nobody", "my 3-month is 100% and 6 month score is 93% but my profile shows 97, why?", ASKED_ON, personal=False
    )
    assert "(93% + 100%) / 2 = 96.5%" in answer.description, answer.description
    assert "(shown as 97%)" in answer.description


DAYS_WORKED_OUT = [
    # (question asked on 15 February 2026, what the answer must say, what it must not)
    (
        "Client ended the fixed contract and I got an escrow refund request for $350 on 10 February. I did the work. "
        "What is the last day I can dispute it, and what happens if I don't answer?",
        "Your last day to answer is 17 February 2026 (2 days from now)",
        "within 7 days, refunds",
    ),
    (
        "I lost Top Rated when a 2-star pushed me to 87, I'm back at 92 now and my stats say 4 of 16 eligible weeks. "
        "By what date should I hit 13/16?",
        "19 April 2026 at the earliest",
        "",
    ),
    (
        "Two weeks ago my Top Rated eligible weeks were 12 of 16, and I meet everything else. When will it show?",
        "At 12 of 16",
        "at the earliest",
    ),
    (
        "top rated eligible weeks stuck at 12/16 for 5 weeks now, jss 95. why isnt it moving",
        "At 12 of 16",
        "at the earliest",
    ),
    ("My score is 89 and the stats page says 11 of 16 eligible weeks, when will I get top rated back?", "", "earliest"),
    (
        "Lost Top Rated on Jan 9 when a dispute pushed me to 89%. I'm back at 93% now and My Stats shows 11 of 16 "
        "eligible weeks. How long am I looking at before it comes back?",
        "At 11 of 16",
        "earliest",
    ),
    (
        "insights says 24 month score 86% but my profile shows 93. which one do clients actualy see",
        "Clients see the 93% on your profile",
        "",
    ),
    (
        "profile says 5 stars but hover shows 4.7?? one job was 4 stars. hows that rounded",
        "an average of 4.7 displays as five",
        "4.6",
    ),
    (
        "Asked the client twice (Dec 10 and Jan 15) to close our finished contract. Last activity was Nov 30. Should I "
        "close it myself now or keep waiting?",
        "Close it yourself",
        "",
    ),
    (
        "Two contracts closed, both 5 stars, both paid ($300 and $450). Still no JSS. Both were from the same client, "
        "a marketing agency. What am I missing?",
        "your jobs for the same client count as one client",
        "agency's JSS",
    ),
    (
        "Biggest contract of my life: $14,000, 7 months, hourly. The new PM ended it and gave me 3 stars. I'm at 97%. "
        "How much damage does a bad review on a job this size do?",
        "7 months of payments add 2 more",
        "",
    ),
    (
        "Fixed-price contract, $600 still in escrow for the last milestone. The milestone due date was November 20, "
        "2025. I delivered the files in chat but never hit submit. What exactly happens next, and on what dates?",
        "Counted from the due date, 20 November 2025, the contract goes dormant on 18 February 2026 (3 days from "
        "now), after warnings on 4 and 11 February 2026. Then the client has until 25 February 2026",
        "goes dormant on day 90",
    ),
    (
        "Hello, fixed price, $750 in escrow for milestone 2, due date of milestone was 15 November. Client stopped "
        "answering. What will happen with the $750?",
        "went dormant on 13 February 2026 (2 days ago)",
        "",
    ),
    (
        "My hourly contract was due to finish on 20 November and the client vanished. Will it go dormant?",
        "",
        "Counted from the due date",
    ),
    (
        "Fixed-price milestone $400 was due March 3, 2025, the client never answered and I moved on. Where did the "
        "money go, does the contract still go dormant?",
        "",
        "Counted from the due date",
    ),
    (
        "How many jobs does my retainer count as? Hourly, 14 months, paid weekly, about $9,000 in total. Like 1 job or "
        "like 5?",
        "14 months of payments add 4 more",
        "",
    ),
    (
        "A or B, which hurts less: 3 stars on a $180 logo job, or 4 stars on a $1,500 website?",
        "The 3 stars on the $180 job most likely cost you more, though the $1,500 job weighs more",
        "",
    ),
    (
        "Both clients unhappy:\n1) $3,200 fixed, hinting at 3 stars\n2) $85 fixed, threatening 1 star\nWhich one "
        "matters more for my JSS?",
        "A poor rating costs more on the $3,200 job: it counts as 1.5 jobs among your outcomes, against 1 for the $85",
        "",
    ),
    (
        "My contracts:\n- $120 fixed\n- $2,600 fixed\n- hourly, $9,400 paid over 14 months\n- $60 test task\nWhich "
        "would hurt the most if it went bad?",
        "Heaviest first, in jobs' worth among your outcomes: $9,400 over 14 months: 5.5; $2,600: 1.5; $120: 1; $60: 1",
        "",
    ),
    (
        "Support listed my numbers: JSS 96%, last 3 months 100%, last 6 months 92%, last 12 months 87%, last 24 "
        "months 89%. None of those is 96, so where does it come from? Could one bad month drop me to 87?",
        "Your 96% is your trending score, the average of your 6- and 3-month ones: (92% + 100%) / 2 = 96%",
        "To be more precise",
    ),
    (
        "My spreadsheet says last 24 months about 85, last 12 months about 90 and last 6 months around 94. Which one "
        "do clients see?",
        "Of the scores you tell (24-month 85%, 12-month 90%, 6-month 94%), the highest Upwork can show is the "
        "6-month score at 94%",
        "",
    ),
    (
        "Client here. The freelancer I'm about to hire has 80% Job Success with 30+ jobs. Does that mean 6 of his "
        "clients were unhappy?",
        "Read with Upwork's one published formula, (good - bad) / total, 80% over 30 jobs is about 3 outcomes "
        "counted as bad, or about 6 that fell short of a success",
        "",
    ),
    (
        "My JSS is 100% with 25 jobs. What does that mean, how many bad ones?",
        "",
        "Read with Upwork's one published formula",  # nothing fell short
    ),
    (
        "JSS 97% with 25 jobs, all 5 stars. How bad is one 3-star for me?",
        "",
        "Read with Upwork's one published formula",  # not asked what the score stands for
    ),
    (
        "My JSS is 89% with 14 contracts in the last 24 months. What is the formula, so I can model it?",
        "89% over 14 contracts is about 1 outcome counted as bad, or about 2 that fell short of a success",
        "",
    ),
    (
        "upwork closed my fp contract automatically, can client still leave fb?",
        "Yes: once Upwork has auto-closed a fixed-price contract, the client is asked for feedback as usual",
        "Submit your work as a milestone",
    ),
    (
        "upwork auto closed my fixed price contract, what happens to the escrow money now?",
        "Escrow nobody asked to release while it was dormant went back to the client",
        "Yes:",
    ),
    (
        "My last contract ended in December 2023. Is my JSS still there?",
        "Your last work ended in December 2023, so it left the 24-month window around December 2025",
        "A bad outcome from December 2023",
    ),
    (
        "haven't worked since august 2024, will my jss disappear?",
        "Your last work, ended in August 2024, counts until around August 2026",
        "",
    ),
    (
        "Got a 2-star in March 2024 and my last contract ended in December 2023. Does the 2-star still count?",
        "",
        "Your last work",  # a weak rating told: how that outcome ages out answers
    ),
    (
        "I refunded the full $200 because the client changed plans, and she still left 5 stars. Does that count as a "
        "success or a fail?",
        "Neither a success nor a failure: after a full refund the contract is a $0 one",
        "",
    ),
    (
        "First JSS is 67%, I'm shocked. My contracts:\n1. Client A - $60 - 5 stars\n2. Client B - $90 - 5 stars\n"
        "3. Client C - $40 - 1 star\n4. Client D - $110 - 5 stars\nIs it normal that one bad review does so much "
        "damage? How many more 5 star jobs do I need for 90%?",
        "With 4 jobs and one weak rating among them",
        "fall with no new work",
    ),
    (
        "Unhappy client on a $700 project. A: I refund $150 and she probably leaves 4 stars. B: no refund and she "
        "leaves 2 or 3. Which hurts my JSS less?",
        "",
        "A poor rating costs more on the $700 job",  # one job's two options, not two jobs
    ),
]


@pytest.mark.parametrize(("question", "said", "unsaid"), DAYS_WORKED_OUT)
async def test_the_askers_days_and_weeks_are_worked_out(
    services: Services, question: str, said: str, unsaid: str
) -> None:
    """The day a refund request came counts its days to answer; eligible weeks told as today's give the earliest day
    the badge's weeks are made up (not weeks told as they were, a count asked why it is stuck, under 90 %, nor with a
    dip dated within the 16 weeks, whose weeks leave the count only months later); one
    window's score beside the profile's says which clients see; a star average told is rounded as shown; a last
    activity told by its day is the time waited; a job's length told on its own beside its pay adds its weight; a
    milestone's due date dates a funded fixed-price contract's dormancy (not an hourly one's, nor one long over); a
    job's weight is worked out with its months of payments, and jobs compared are weighed against each other (a weak
    rating on the lighter one against 4 stars on the heavier decides by the rating)."""
    answer = await services.questions.ask("nobody", question, date(2026, 2, 15), personal=False)
    assert said in answer.description, answer.description
    assert not unsaid or unsaid not in answer.description, answer.description


async def test_a_rule_lead_whose_story_does_not_fit_still_answers(services: Services) -> None:
    """The public-feedback minimum cited first for a contract told as paid: its lead's branch is for $0 and refunded
    contracts; the rule as written answers, never an empty reply (three answers were empty before)."""
    answer = await services.questions.ask(
        "nobody",
        "Client keeps piling extra instructions on at the same price. The project is still in progress and I haven't "
        "been paid a cent. If I end the contract now and he gives me a negative review, will it show on my profile?",
        date(2026, 2, 15),
        personal=False,
    )
    assert answer.description.strip(), answer
    assert "at least $1" in answer.description
