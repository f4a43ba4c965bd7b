"""The story a question tells: who ended the contract, whether money moved, what feedback came (and whether
some contracts got none), which badge, which way the score went, whether Upwork suspended the contract or
acted against the client, whether it happened to the asker at all, whether the asker is the client, and what
could explain a drop (open contracts with nothing happening, time passing or old work, steady work).

Why: the rule a forum regular cites first depends on these facts more than on surface words. "The
client ended it and left no feedback" is an X-NO-FEEDBACK question even though it says "end"; "my
friend's JSS dropped" is not the asker's score drop. The facts are fed to the classifier as extra
tokens (bot.qa.classifier learns what they mean from the training questions) and, with the answer cues
(bot.qa.cues), decide which follow-up question to ask (bot.qa.follow_up) when the answer hinges on a fact the
asker left out. What the asker tells that only picks the answer's words, never its rule, is a cue, not a story fact.

Regexes run on the folded text (bot.qa.normalize.fold), so "Top Rated" is already "toprated",
"$0" is "zerodollar" and "no feedback" is "nofeedback". Pure and linear in the question length.
"""

from __future__ import annotations

import bisect
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.qa.extract import Facts
from scoring.rulebook import rule_numbers

Ender = Literal["me", "client", "upwork"]
Money = Literal["none", "paid", "refunded", "escrow_back", "released"]
Feedback = Literal["none", "positive", "mixed", "negative"]
Badge = Literal["top_rated", "top_rated_plus", "rising_talent", "expert_vetted"]
Direction = Literal["down", "up"]

_WHO = r"(?:client|buyer|customer|employer|he|she|they)"
_END = r"(?:ended|closed|cancel+ed|terminated|ends|closes|cancels|end|close|cancel)"
_ENDER: tuple[tuple[Ender, re.Pattern[str]], ...] = (
    (
        "upwork",
        re.compile(
            r"\bupwork\s+(?:has\s+|had\s+|just\s+|then\s+|automatically\s+|auto\s+)?(?:ended|closed|cancel+ed|terminated)\b"
            # round 17: told in the past ("it auto-closed", "got auto closed"); "will Upwork auto-close it?", "does it
            # auto close?" ask about an ending that has not happened
            r"|(?<!be\s)(?<!get\s)\bauto[\s-]?closed\b|\bclosed\s+(?:it\s+)?automatically\b"
            # asked about an ending that happened: "why did Upwork end my contract?"
            r"|\bdid\s+upwork\s+(?:just\s+)?(?:end|close|cancel|terminate)\b"
            # "closed by Upwork", not "suspended by Upwork" (the client's account, held)
            r"|\b(?:ended|closed|cancel+ed|terminated)\s+(?:\w+\s+)?by\s+upwork\b"
        ),
    ),
    (
        "client",
        re.compile(
            rf"\b{_WHO}\s+(?:has\s+|had\s+|just\s+|then\s+|suddenly\s+|finally\s+|already\s+)?"
            rf"(?:ended|closed|cancel+ed|terminated)\b"
            rf"|\b(?:ended|closed|cancel+ed|terminated)\s+(?:by|from)\s+(?:the\s+|my\s+)?(?:client|buyer|customer)\b"
            r"|\bended\s+(?:the\s+contract\s+)?on\s+me\b"
            # "I asked my client to end the order and he did"
            r"|\basked\s+(?:my\s+|the\s+)?(?:client|buyer|customer)\s+to\s+(?:end|close|cancel)\b[^.?!]{0,40}?"
            r"\b(?:he|she|they)\s+did\b"
            # what the client decided: "he wants to terminate the contract", "the client is going to close it"
            rf"|\b{_WHO}\s+(?:\w+\s+)?(?:decided|wants?|wanted|is\s+going|was\s+going|plans?|planned|chose)\s+to\s+"
            r"(?:end|close|cancel|terminate)\b"
        ),
    ),
    (
        "me",
        re.compile(
            rf"\bi\s+(?:have\s+|had\s+|just\s+|then\s+|finally\s+|accidentally\s+|already\s+|also\s+)?{_END}\b"
            r"|\b(?:end|close|ending|closing)\w*\s+(?:it|them|the\s+contract|contracts?)?\s*(?:myself|from\s+my\s+side|on\s+my\s+side)\b"
            r"|\bclicked\s+end\b"
            # the subject left out: "closed 3 old contracts yesterday and my JSS went to 71", "after ending two finished
            # contracts", "ended two completed contracts myself"
            r"|(?:^|\.\s+)(?:closed|ended|cancel+ed|terminated)\s+(?:\w+\s+){0,3}?(?:contracts?|projects?|jobs?)\b"
            r"|\bafter\s+(?:ending|closing)\s+(?:\w+\s+){0,4}?(?:contracts?|projects?|jobs?)\b"
            r"|\b(?:ended|closed)\s+(?:\w+\s+){0,3}?(?:contracts?|projects?|jobs?)\s+(?:myself|from\s+my\s+(?:side|end))\b"
        ),
    ),
)
_MONEY: tuple[tuple[Money, re.Pattern[str]], ...] = (
    (
        "escrow_back",
        re.compile(
            r"\bescrow\w*\b[^.?!]{0,40}\b(?:back|refund\w*|return\w*)\b"
            r"|\b(?:back|refund\w*|return\w*)\b[^.?!]{0,30}\bescrow\b|\brefund\s+request\b|\bmoney\s+back\b"
        ),
    ),
    (
        "released",
        re.compile(
            # not "before it would auto-release": what was about to happen did not
            # nor "the payment auto-releases in 2 days"
            # round 17: nor "when does it auto release?", asked
            r"(?<!would\s)(?<!to\s)(?<!before\s)(?<!will\s)(?<!does\sit\s)(?<!will\sit\s)(?<!can\sit\s)\bauto[\s-]?releas\w*\b"
            r"(?!\s+(?:in\s+(?:\d|a\b|an\b|one\b|two\b|three\b|few\b)|tomorrow\b|soon\b))|\breleased\s+automatically\b"
            r"|\b(?:payment|money|escrow|funds)\s+(?:was\s+|got\s+)?released\b"
            # "the milestone was paid out to me automatically", "I got paid automatically after 14 days"
            r"|(?<!would\s)(?<!will\s)\b(?:paid|paid\s+out|released)\s+(?:out\s+)?(?:to\s+me\s+)?automatically\b"
            r"|\bautomatically\s+(?:paid|released)\b"
        ),
    ),
    (
        "refunded",
        re.compile(
            r"\b(?:i|we|upwork|support)\s+(?:have\s+|had\s+|already\s+)?refunded\b|\bfull\s+refund\b|\b(?:fully|completely)\s+refund\w*\b"
            r"|\brefund\w*\s+(?:the\s+)?(?:whole|entire|full)\s+(?:amount|payment|job|sum)\b|\brefunded\s+(?:the\s+|a\s+|my\s+)?(?:client|him|her|them|everything|in\s+full)\b"
            r"|\b(?:gave|give|giving|sent|send)\s+(?:him|her|them|the\s+client)\s+(?:his|her|their|the)\s+money\s+back\b"
            # the asker hands money back ("if I give the money back", "I gave a client 100% of his money back"), not a
            # client asking for the escrow
            r"|\b(?:i|we)\s+(?:\w+\s+){0,2}?(?:gave|give|giving|send|sent|return\w*)\s+(?:\S+\s+){0,5}?money\s+back\b"
            # money that was already paid going back (not escrow, which is escrow_back)
            r"|\brefund\w*\s+(?:him|her|them|the\s+client|(?:the|his|her|their|my)\s+(?:money|payment|earnings)|what\s+(?:he|she|they)\s+(?:already\s+)?paid|everything)\b"
            r"|\brefund\s+(?:of\s+)?(?:the\s+)?(?:money|payment)\s+(?:he|she|they)\s+(?:already\s+)?(?:paid|released)\b"
            # round 19: "so the $40 was refunded" (not "$20 of the $40 was refunded", a part of it)
            r"|(?<!of\s)(?<!of\sthe\s)(?<!\$)\b(?:the\s+|all\s+(?:the\s+)?|whole\s+)?(?:\$?\d[\d,.]*\s*usd|money|payment)\s+"
            r"(?:was|got|has\s+been|had\s+been)\s+(?:fully\s+|all\s+)?refunded\b"
        ),
    ),
    (
        "none",
        re.compile(
            r"\bzerodollar\b|\bnever\s+funded\b|\bnothing\s+(?:was\s+)?(?:funded|billed)\b|\bno\s+money\b|\bnot\s+funded\b"
            # an unpaid bonus or tip is not a contract without money
            r"|\bdid\s+not\s+fund\b|\bno\s+payment\b|\bnothing\s+paid\b|\bnever\s+paid\b(?!\s+(?:\w+\s+)?(?:bonus|tip)\b)"
            r"|\b(?:nothing|zero|0)\s+(?:hours?\s+)?(?:was\s+)?(?:tracked|logged|billed)\b|\b(?:0|zero)\s+hours\b"
            r"|\bnot\s+(?:logged|tracked|billed)\s+(?:a\s+|any\s+)?(?:single\s+)?(?:minute|hours?|time)\b"
            r"|\bnot\s+a\s+single\s+minute\b|\bnever\s+(?:started|began)\b"
            # "the contract had zero earnings", "in the end I earned nothing on it"
            r"|\b(?:zero|no)\s+earnings\b|\bearned\s+(?:nothing|zero|0)\b"
            # "paid nothing", "a free trial job", "I have not billed anything", "made nothing", "never got a cent"
            r"|\bpaid\s+(?:nothing|zero)\b|\bfree\s+(?:trial|job|test|task|sample)s?\b|\bmade\s+nothing\b"
            r"|\b(?:have|has|had|did)\s+not\s+(?:billed|earned|earn|bill|been\s+paid|got|received)\s+anything\b"
            r"|\b(?:not|never\s+(?:got|received|saw|made))\s+(?:a|one)\s+(?:single\s+)?(?:cent|penny|dime)\b"
        ),
    ),
    (
        "paid",
        re.compile(
            r"\bpaid\s+(?:in\s+full|me|everything|the\s+last)\b|\bpayment\s+received\b"
            # the client released the money himself: paid, not auto-released
            rf"|\b{_WHO}\s+(?:has\s+|had\s+|already\s+|finally\s+)?(?:approved\s+and\s+)?released\b"
            r"|\breleased\s+(?:all\s+|every\s+|both\s+)?(?:the\s+|my\s+)?(?:final\s+|last\s+)?(?:milestones?|payments?)\b"
        ),
    ),
)
_NO_FEEDBACK_RE = re.compile(
    r"\bnofeedback\b|\b(?:did\s+not|does\s+not|refuses?\s+to|never)\s+(?:leave|give|rate|review)\w*\b"
    # "he never closed the contract or left feedback"
    r"|\bnever\s+(?:\w+\s+){1,4}?(?:or|nor)\s+(?:left|gave|leave|give)\s+(?:any\s+|a\s+)?(?:feedback|review|rating)\b"
    r"|\bno\s+(?:stars?|rating|review|comment)\b|\bwithout\s+(?:rating|reviewing)\b|\bskipped\s+the\s+review\b"
    r"|\bwithout\s+(?:a\s+|any\s+)?(?:rating|review|feedback)s?\b|\bskip\w*\s+(?:the\s+)?(?:review|rating|feedback)s?\b"
    # round 15: "client not given any feedback", "he has not given feedback", "she has not left a review"
    r"|\b(?:not|never)\s+(?:yet\s+)?(?:given|left)\s+(?:me\s+|us\s+)?(?:any\s+|a\s+)?(?:feedback|review|rating)s?\b"
    # round 17: "closed the contract w/o leaving feedback", "client not give feedback yet"
    r"|\bwithout\s+(?:leaving|giving)\s+(?:me\s+|us\s+)?(?:any\s+|a\s+)?(?:feedback|review|rating)s?\b"
    r"|\bnot\s+(?:give|gave|leave)\s+(?:me\s+|us\s+)?(?:any\s+|a\s+)?(?:feedback|review|rating)s?\s+yet\b"
)
_PRIVATE_RE = re.compile(
    r"\bprivately\b|\bin\s+private\b|\bhidden\s+(?:feedback|rating|score)\b"
    r"|\bprivate\s+(?:\w+\s+){0,2}?(?:feedback|ratings?|reviews?|scores?|notes?|part|comments?|answers?|form|side)\b"
    # the private rating's own scale: "he swears he rated me 10/10 everywhere"
    r"|\b(?:rated|gave|given|rating|scored)\s+(?:\w+\s+){0,2}?(?:10|ten)\s*(?:/|out\s+of)\s*(?:10|ten)\b"
)
"""Private feedback, not a private profile ("set my profile to private" is about time away). The private rating was
on a 0-10 scale, the public one is stars: a client saying he gave 10/10 tells of the private one."""
_BADGES: tuple[tuple[Badge, str], ...] = (
    ("top_rated_plus", "trplus"),
    ("expert_vetted", "expertvetted"),
    ("rising_talent", "risingtalent"),
    # "TR" alone is Top Rated too ("now im 89 and TR is gone"); "my TR badge" already folds to "toprated"
    ("top_rated", r"(?:toprated|tr)"),
)
_DOWN_RE = re.compile(
    # not "why would they drop the bad one" (Upwork leaving a job out, not the score moving)
    r"\b(?:dropped|drops?(?!\s+(?:them|it)\b|\s+(?:the|that|this|those|these)\s+(?:bad|worst|low|negative|ones?|contracts?|jobs?|reviews?)\b)|dropping|fell|fallen|falls?|falling|went\s+down|gone\s+down|goes\s+down|going\s+down"
    # "lower" of the score, not "a lower total value", "lower my rate"
    r"|decreas\w*|(?<!\ba\s)lower(?:ed)?(?!\s+(?:my\s+|the\s+|our\s+)?(?:total|rates?|prices?|value|budget|fees?|tiers?|amounts?|pay|paying|paid))|tank\w*|plummet\w*|dipped|crash\w*|slid|lost\s+\d+\s+points)\b"
    # "jss down to 88"; "my success rate is now only 29%"
    r"|\bdown\s+to\s+\d|\bnow\s+only\s+\d"
)
_RATED_LOWER_RE = re.compile(r"\b(?:rated|scored|marked|reviewed)\s+(?:\w+\s+){0,3}?lower(?:ed)?\b")
"""Clients rating the asker lower ("two of them rated me a bit lower on quality") tell of stars, not of the score
moving: not a direction."""
_RECOMMEND_RE = re.compile(r"\bwould\s+recommend\b")
_CLAUSE_END_RE = re.compile(r"[.?!\n,;]|\b(?:but|while|whereas)\b")


def _recommend_clauses(text: str) -> list[str]:
    """The clauses of `text` about My Stats' "clients who would recommend you" figure ("last month it dropped from 100%
    to 91% on My Stats"): that figure moving is not the JSS moving (FB-RECOMMEND-LAG). A clause ends at a sentence's
    end, a comma or a "but". Found from each mention outwards, so a long text costs one pass, not one per position."""
    mentions = list(_RECOMMEND_RE.finditer(text))
    if not mentions:
        return []
    bounds = [(m.start(), m.end()) for m in _CLAUSE_END_RE.finditer(text)]
    starts = [start for start, _ in bounds]
    clauses = []
    for mention in mentions:
        before = bisect.bisect_left(starts, mention.start())  # the clause ends before the mention: bounds[:before]
        after = bisect.bisect_left(starts, mention.end())
        begin = bounds[before - 1][1] if before else 0
        clauses.append(text[begin : bounds[after][0] if after < len(bounds) else len(text)])
    return clauses


_FIGURES_ASKED_RE = re.compile(
    r"\b(?:why|still|both|numbers|figures|differ\w*|disagree\w*|match\w*|same|stuck|broken|real|update\w*)\b"
)
"""The asking sentences are about the figures themselves ("can both numbers disagree?", "why is it still stuck?"), not
about what to do with the score ("what can I actually do?")."""
_UP_RE = re.compile(r"\b(?:went\s+up|gone\s+up|goes\s+up|rose|risen|increased|climbed|jumped|improved)\b")
_HEARSAY_RE = re.compile(
    r"\b(?:my\s+)?(?:friend|colleague|cousin|brother|sister|coworker)s?\b"
    # "someone said", and round 18: "someone in my city says"
    r"|\b(?:someone|somebody)\b[^.?!,]{0,25}?\b(?:said|told|says|tells)\b"
    r"|\bi\s+(?:heard|read)\b|\bpeople\s+(?:say|said)\b|\ba\s+guy\b"
    # round 17: "saw it on reddit", "a post on facebook"
    r"|\bsaw\s+(?:it|this|that|a\s+post|someone|people)\s+(?:on|in)\b|\bon\s+(?:reddit|youtube|facebook|tiktok|twitter)\b"
    # round 19: a reply to another poster's story ("To the guy who lost 5 points overnight: relax, ...")
    r"|\bto\s+(?:the|that)\s+(?:guy|girl|person|poster|lady|op)\s+who\b"
)


def is_hearsay(sentence: str) -> bool:
    """The (folded) sentence relays someone else's story or claim ("my friend's JSS dropped", "I heard...")."""
    return _HEARSAY_RE.search(sentence) is not None


_ASKING_SENTENCE_RE = re.compile(r"[^.?!]+[.?!]*")
_QUESTION_START_RE = re.compile(
    r"^(?:(?:so|and|also|but|or|ok|okay|anyway|then|plus|lastly|finally)\s*,?\s+)*"
    r"(?:how|what|why|when|where|which|who|should|shall|will|would(?!\s+(?:like|love|appreciate))|can|could"
    r"|do|does|did|is|are|was|were|has|have|am|may|might|any\s+(?:idea|advice|tips|thoughts)|anyone|anybody)\b"
)
"""A sentence worded as a question ("how long does he have to leave feedback after"), even without its "?"."""


def asking_sentences(folded: str) -> list[str]:
    """The sentences that ask (ending in "?"), in order; none when the question has no such sentence.

    A last sentence worded as a question counts even without its "?" ("...will it hurt? how many months do i
    have to wait"): askers often drop the mark on the question they add last. An asking sentence that relays
    what someone else said ("someone said I could lose it, how?") is left out when another sentence asks too:
    the asker's own question comes first, the hearsay is a side remark."""
    sentences = [s.strip() for s in _ASKING_SENTENCE_RE.findall(folded) if s.strip()]
    asking = [
        s
        for i, s in enumerate(sentences)
        if s.endswith("?") or (i == len(sentences) - 1 and _QUESTION_START_RE.search(s) is not None)
    ]
    return [s for s in asking if not is_hearsay(s)] or asking


def asking_part(folded: str) -> str:
    """The asking sentences (see `asking_sentences`), else the last sentence: where a long story puts its
    question."""
    asking = asking_sentences(folded)
    if asking:
        return " ".join(asking)
    sentences = [s.strip() for s in _ASKING_SENTENCE_RE.findall(folded) if s.strip()]
    return sentences[-1] if sentences else ""


def telling_part(folded: str) -> str:
    """The sentences that tell, not ask: those without a "?", and those that end in one but do not start as a question
    ("milestone is in escrow, what happens?" tells; "is there money in escrow?" asks)."""
    sentences = [s.strip() for s in _ASKING_SENTENCE_RE.findall(folded)]
    return " ".join(s for s in sentences if not s.endswith("?") or _QUESTION_START_RE.search(s) is None)


_LOST = (
    r"(?:lost|lose|losing|gone|remov(?:ed|es|ing)|disappear\w*|vanish\w*|took\s+away|taken\s+away|taking\s+away|stripped"
    # "the badge does not show next to my profile anymore"
    r"|(?:not|no\s+longer)\s+(?:show|display|appear)\w*)"
)
_LOST_WINDOW = 40
"""Characters (within one sentence) between a badge and the word saying it went away: "will Upwork remove my
account?" in a story that mentions Top Rated elsewhere is not a lost badge."""
SENTENCE_RE = re.compile(r"(?:[^.?!;]|(?<=\d)\.(?=\d))+")
"""A sentence or clause without its end mark; a decimal point ("biggest contract was $4.8k") ends none."""
_HELD_RE = re.compile(
    r"\b(?:contracts?|job|project)\s+(?:\w+\s+){0,3}?(?:suspended|frozen|on\s+hold|restricted)\b"
    # "it is still frozen at 89" is the score, not the contract
    r"|\bit\s+(?:\w+\s+){0,3}?(?:suspended|on\s+hold)\b"
    r"|\b(?:suspend\w*|froze|freez\w*|put|placed)\s+(?:\w+\s+){0,2}?(?:contracts?|job|project)\b(?:\s+on\s+hold)?"
    r"|\b(?:on\s+hold|suspended)\s+(?:by|from)\s+upwork\b|\bsays\s+['\"]?(?:suspended|on\s+hold)\b"
    r"|\b(?:client|buyer|his|her|their)\s+(?:account\s+|profile\s+)?(?:\w+\s+){0,2}?(?:suspended|banned|flagged|restricted|closed\s+by\s+upwork)\b"
    # the client gone from Upwork: "a client I worked with is no longer on Upwork", "his account was deleted"
    r"|\b(?:client|buyer|he|she|they)\b[^.?!]{0,60}?\b(?:is|are|was|were)\s+no\s+longer\s+(?:on|active\s+on|with)\s+upwork\b"
    r"|\b(?:client(?:'?s)?|buyer(?:'?s)?|his|her|their)\s+(?:upwork\s+)?account\s+(?:is\s+|was\s+|has\s+been\s+|got\s+)?(?:gone|deleted|closed|deactivated|removed|banned)\b"
)
"""Upwork suspended the contract, put it on hold or acted against the client's account (X-FLAGGED-CLIENT,
C-STATUSES): the client may no longer be able to act. A paused contract (the client's choice) is not this."""


_IF_BEFORE_RE = re.compile(r"\bif\s+(?:\w+\s+){0,2}$")
"""A supposition just before a match ("I get why they'd drop it if the client got flagged, but..."): not what
happened."""


def _held(folded: str) -> bool:
    """Upwork acted on the contract or the client (see _HELD_RE), told as what happened (not supposed), not lifted."""
    told = any(
        _IF_BEFORE_RE.search(folded, max(0, match.start() - 30), match.start()) is None
        for match in _HELD_RE.finditer(folded)
    )
    return told and _REINSTATED_RE.search(folded) is None


_REINSTATED_RE = re.compile(
    r"\b(?:reinstated|unsuspended|unbanned|restored|lifted)\b|\b(?:account|profile)\s+(?:\w+\s+){0,3}?came\s+back\b"
)
"""The suspension was lifted ("got reinstated", "his account came back"): the client is no longer flagged, so the
flagged-client rule does not decide."""
_OPEN_IDLE_RE = re.compile(
    # several contracts left open (one contract "still open" after the client vanished is a closing question)
    r"\b(?:contracts|ones|they|them|both|all|several)\s+(?:are\s+|were\s+|have\s+been\s+)?(?:still|left|sitting|stay\w*|remain\w*)\s+open\b"
    r"|\bcontracts\s+(?:\w+\s+){1,4}?still\s+(?:open|active)\b"
    r"|\bopen\s+(?:\w+\s+){0,2}?(?:doing\s+nothing|with\s+(?:nothing|no\s+activity)|idle|inactive)\b"
    r"|\b(?:open|active|in\s+progress)\s+but\s+(?:\w+\s+){0,2}?(?:barely|nothing|no\s+(?:activity|work)|idle|inactive|dormant)\b"
    r"|\b(?:open|active)\s+(?:\w+\s+){0,2}?contracts?\s+(?:\w+\s+){0,3}?(?:nothing\s+happening|no\s+activity|doing\s+nothing)\b"
)
"""Open contracts with nothing happening on them (C-OPEN-INACTIVE-JSS decides whether they count), as opposed
to a question about which of them to close first."""
_AGE_RE = re.compile(
    r"\b(?:years?|\d+\s+months?)\s+ago\b|\bback\s+in\s+(?:20\d\d|19\d\d)\b|\bin\s+20(?:1\d|2[0-3])\b"
    r"|\bold\s+(?:contracts?|jobs?|work|projects?|reviews?|feedback)\b|\bag(?:e|es|ed|ing)\s+out\b"
    r"|\b(?:dropp\w*|fall\w*|fell|roll\w*|slid\w*)\s+(?:off|out)\b|\bleav\w*\s+the\s+window\b"
    r"|\b(?:took|taking|take)\s+(?:a\s+)?(?:break|time\s+off)\b|\b(?:been|was)\s+(?:very\s+|really\s+)?slow\b|\bslow\s+(?:year|months?|period)\b|\bstarted\s+working\s+again\b"
    r"|\bevery\s+(?:14day|(?:two|2|few|couple\s+of)\s+weeks)\b|\b(?:slowly|gradually|steadily)\s+(?:drop\w*|decreas\w*|fall\w*|going\s+down)\b"
    # the drop came right after one new review: the recalculation, not that review (old work left the window)
    r"|\b(?:right|just|shortly|immediately)\s+after\b|\bnext\s+(?:day|morning)\b|\bthe\s+day\s+after\b|\bdays?\s+later\b"
    # nothing ended lately: no new (private) feedback can explain the drop, old work leaving the window can
    r"|\bnothing\s+(?:\w+\s+)?(?:happened|changed|ended|closed)\b|\bquiet\s+(?:month|period|weeks?)\b"
    r"|\bno\s+(?:new\s+)?(?:contracts?|jobs?|reviews?|feedback)\s+(?:\w+\s+)?(?:ended|closed|finished|came)\b"
    r"|\b(?:have\s+not|did\s+not|not)\s+(?:finished|closed|ended|completed)\s+(?:a|any)\b"
    # the same timing told with days: "5 stars yesterday and today it's lower", "after my latest 5 star job"
    r"|\byesterday\b[^.?!]{0,60}\btoday\b"
    r"|\bon\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b[^.?!]{0,40}\bon\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|\bafter\s+(?:my|a|the|his|her|their|this)\s+(?:\w+\s+){0,2}?(?:5[\s-]*stars?|positive|perfect)\s+"
    r"(?:review|job|contract|rating|feedback)\b"
)
"""The asker ties the drop to time passing or old work (W-AGE-OUT): without such a cue, a drop beside nothing
but five-star reviews is the hidden private feedback a regular names first."""
_OFFER_GONE_RE = re.compile(
    r"\b(?:withdr[ae]w\w*|declin\w*|reject\w*|retract\w*|turn\w*\s+down|pulled\s+back)\s+(?:\w+\s+){0,3}?offers?\b"
    r"|\boffers?\s+(?:\w+\s+){0,4}?(?:withdrawn|declined|expired|retracted|pulled\s+back)\b"
    r"|\boffer\b[^.?!]{0,80}\b(?:he|she|they|client)\s+withdr[ae]w\w*\b"
)
"""An offer withdrawn, declined or expired before it became a contract (X-PROPOSALS: offers, proposals and invites
are not JSS inputs), as opposed to a contract cancelled after it was accepted (the $0 rules)."""
_CONTEST_RE = re.compile(
    r"\b(?:dispute|contest|challenge|appeal\s+against|appeal|complain\w*\s+about)\s+"
    r"(?:the\s+|a\s+|an\s+|this\s+|that\s+|his\s+|her\s+|their\s+|my\s+)?(?:\w+\s+){0,2}?"
    r"(?:feedback|reviews?|ratings?|(?:score|stars?)\s+(?:\w+\s+){0,2}?(?:gave|left))\b"
)
"""The asker wants to contest a review ("dispute the low score he gave me"): reporting feedback (FB-REPORT), not a
payment dispute (X-DISPUTE), whatever the word "dispute" says."""
_FEEDBACK_LATE_RE = re.compile(
    r"\b(?:14day|window|period|deadline|time\s+limit)\s+(?:\w+\s+){0,2}?(?:passed|over|expired|closed|ran\s+out|gone)\b"
    r"|\btoo\s+late\s+(?:for\s+(?:the\s+)?(?:client|him|her|me)\s+)?to\s+(?:rate|review|leave)\b"
    r"|\bmissed\s+(?:the\s+)?(?:14day|window|feedback\s+(?:window|period|deadline))\b|\blate\s+(?:feedback|review)\b"
    # "missed the deadline to leave feedback", not a review quoting a work deadline ("3 stars, 'missed deadline'")
    r"|\bmissed\s+(?:the\s+)?deadline\s+(?:to|for)\s+(?:leave|leaving|give|giving|rate|rating|review|feedback)\b"
    # more than 14 days told since the contract ended: "3 weeks after the contract was closed", "a month since it ended"
    r"|\b(?:(?:[3-9]|three|four|five|six|several)\s+weeks|\b(?:a|one|two|\d+)\s+months?)\s+(?:since|after)\s+(?:the\s+|my\s+|our\s+)?"
    r"(?:contract|job|project|it)\b"
    # round 18: the form gone from the screen ("the option is gone", "the feedback button disappeared")
    r"|\b(?:option|button|link|form)\s+(?:to\s+(?:leave|give)\s+(?:\w+\s+)?)?(?:is\s+|has\s+|was\s+)?(?:gone|disappeared|greyed\s+out|not\s+there)\b"
)
_STILL_RE = re.compile(r"\b(?:still|now|any\s*way|anymore|reopen\w*|late|again)\b")
"""The 14 days to leave feedback are over and the asker asks whether it can still be left (FB-LATE), not how long
the window is (FB-14DAYS) nor whether a contract left unrated counts."""
_SCORE_APPEARED_RE = re.compile(
    r"\b(?:first|now\s+(?:i\s+)?(?:have|got)\s+a|(?:get|gets|got|getting)\s+(?:a|my)|received\s+(?:a|my))\s+(?:\w+\s+)?jss\b"
    r"|\bjss\s+(?:\w+\s+){0,2}?(?:appeared|showed\s+up|shows\s+up|came\s+in|arrived|was\s+calculated)\b"
)
"""A first JSS appeared: Rising Talent gone beside it is the badge being replaced (E-RISING), not lost."""
AWAY_RE = re.compile(
    r"\b(?:i|im|i'm|ill|i'll|we)\s+(?:\w+\s+){0,4}?(?:away|offline|on\s+(?:a\s+)?(?:break|leave|sabbatical|hiatus))\b"
    r"|\b(?:take|taking|took|need|planning)\s+(?:\w+\s+){0,2}?(?:break|sabbatical|hiatus|time\s+off)\b"
    r"|\b(?:stop|stopping|pause|pausing)\s+(?:freelancing|working|upwork)\b"
    # "basically stopped taking work", "stopped working" (not "he stopped working with me": a client)
    r"|\b(?:stopped|quit)\s+(?:freelancing|(?:taking|doing|accepting)\s+(?:\w+\s+)?(?:work|jobs|projects|contracts))\b"
    r"|\bstopped\s+working\b(?!\s+(?:with|for)\b)"
    r"|\b(?:not|won't|wont|will\s+not|can't|cannot)\s+(?:be\s+)?(?:visit\w*|log\w*\s+in|active|using|use)\s+(?:\w+\s+){0,2}?upwork\b"
    r"|\binactivity\b"
)
"""The asker is (or will be) away from Upwork: their own absence, not a client's."""
LONG_AWAY_MONTHS = 12.0
"""An absence of a year or more can take the score away (W-INACTIVITY: no completed job in 24 months, or fewer than
two clients left in the windows); a few months away only let old work age out (W-AGE-OUT)."""
_STEADY_RE = re.compile(
    r"\bworking\s+(?:\w+\s+)?(?:regularly|steadily|consistently|constantly|nonstop|every\s+(?:day|week))\b|\bno\s+gaps\b"
    # "I work with the same two clients almost every day"
    r"|\bwork\s+(?:with|for)\s+(?:\w+\s+){0,4}?(?:almost\s+|nearly\s+)?(?:every\s+(?:day|week)|daily)\b"
)
"""The asker works steadily (no gap that could explain a drop)."""
_UNMOVED_RE = re.compile(
    r"\b(?:not|never)\s+(?:\w+\s+){0,2}?(?:move[ds]?|moving|budge[ds]?|go(?:ne|ing)?\s+up|increas\w*|updat\w*|chang\w*)\b"
    r"|\bstill\s+(?:\w+\s+){0,2}?(?:sitting|stuck|the\s+same|at\s+\d+|\d+)|\bstuck\s+at\s+\d+"
    r"|\bsame\s+(?:score|number|jss|as\s+before)\b"
)
_SAME_RE = re.compile(
    r"\b(?:is|stayed|stays|remains?|remained|still)\s+(?:\w+\s+)?the\s+same\b|\bstayed\s+at\s+\d+|\bwent\s+nowhere\b"
)
"""The score told as unchanged in other words ("my jss is the same", "it stayed at 87")."""
_OPEN_ONE_RE = re.compile(
    r"\b(?:still\s+open|open\s+contracts?|contracts?\s+(?:is|are)\s+(?:still\s+)?(?:open|active)|left\s+(?:it\s+)?open)\b"
)
_COUNTS_ASKED_RE = re.compile(
    r"\b(?:is|does|do|will|would|can)\s+(?:it|that|this|an?\s+open\s+(?:\w+\s+)?contract|the\s+(?:open\s+)?contract|open\s+contracts)"
    r"\s+(?:\w+\s+){0,2}?(?:count\w*|hurt\w*|affect\w*|ding\w*|lower\w*)\b"
)
_IF_I_END_RE = re.compile(r"\b(?:if|when|once)\s+i\s+(?:\w+\s+)?(?:end|close|cancel)\w*\b|\b(?:ending|closing)\s+it\b")
"""An open contract told and the asking sentences ask whether it counts ("is it counted against me?"), not whether
ending it would hurt ("will it hurt if I close it?", the closing question)."""
_REMOVAL_ASKED_RE = re.compile(
    r"\b(?:hide|remove|delete|take\s+down|get\s+rid\s+of|erase)\b[^.?!]{0,30}\b(?:feedback|reviews?|ratings?|comments?)\b"
)
"""The asking sentences ask to hide or remove a review ("is there any way to hide that feedback from my profile?"):
responding to it, reporting it or when it shows at all answer, not who should have ended the contract."""
_RECENT_RE = re.compile(
    r"\b(?:last|this|past)\s+week\b|\byesterday\b|\b(?:a\s+few|couple\s+of|\d+|two|three|four|five)\s+days?\s+ago\b"
    r"|\bjust\s+(?:finished|closed|completed|got|received)\b|\brecently\b|\bthis\s+month\b"
)
"""The score has not moved although new work or reviews came recently ("finished 4 five-star jobs last week, still
96 %"): when the score is recalculated (W-CADENCE-CURRENT), not old work leaving the window nor hidden feedback."""
_SCORE_ASKED_RE = re.compile(
    r"\d+\s*%|\b(?:jss|score|points?|percent\w*|calculat\w*|down|drop\w*|fell|fall\w*|pull\w*|lower\w*)\b"
)
_BADGE_ASKED_RE = re.compile(r"\b(?:toprated|trplus|risingtalent|expertvetted|badges?|eligible\s+weeks?|weeks?)\b")
"""A badge told in the story while the asking sentences ask about the score and name no badge ("... how does one
contract take me to 79 %? I'm at 6 of 16 eligible weeks for Top Rated."): the badge rules are not the answer."""
_QUIT_EARLY_RE = re.compile(
    r"\b(?:break|quit|abandon|walk\w*\s+away\s+from|back\w*\s+out\s+of)\s+(?:the\s+|this\s+|a\s+|my\s+|that\s+)?"
    r"(?:\w+\s+)?(?:contract|job|project)\b"
    r"|\b(?:end|ending|ended|cancel\w*|terminat\w*|clos(?:e|ing))\s+(?:it|the\s+contract|the\s+job|the\s+project|them)?\s*"
    r"(?:early|midway|half\s*way|prematurely)\b"
)
"""The asker (thinks of) ending a contract before the work is done: whether a freelancer may end it and what that
does (C-FL-CAN-END), whatever the contract's type words ("long-term") say."""
STAR_FIGURE_RE = re.compile(
    r"(?<![\d$.,])([1-4]\.\d{1,2})(?!\d|[.,]\d|\s*(?:k\b|usd|%|percent|hours?|years?|months?|weeks?|days?|x\b))"
)
"""A star figure with a fraction ("hover shows 4.7", "it went from 4.94 to 4.47"); not an amount or a span ("$4.8k",
"1.5 years"). The story reads a star average from it, the answer the figure to round."""
_STAR_AVERAGE_RE = re.compile(r"\b(?:average|overall|feedback\s+score|star\s+rating|rating\s+score|shows?)\b")
_JSS_TOLD_RE = re.compile(r"\bjss\b|\d+\s*%|\bjob\s+success\b|\bsuccess\s+(?:score|rate)\b")
"""The figure that moved is the star average ("my overall rating went from 4.94 to 4.47", "now it shows 4.99") and no
JSS is told: how the stars are averaged and shown (FB-STARS-DISPLAY), not hidden feedback behind a JSS drop."""


class Story(BaseModel):
    """Facts the asker told about their situation; None = not said."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ended_by: Ender | None = None
    money: Money | None = None
    feedback: Feedback | None = None
    private_feedback: bool = False
    """The question mentions private or hidden feedback."""
    badge: Badge | None = None
    badge_lost: bool = False
    """The asker says the badge went away ("lost Top Rated", "Rising Talent disappeared")."""
    direction: Direction | None = None
    """Which way the asker's own score moved (not a friend's, not a hypothetical)."""
    hearsay: bool = False
    """Part of the story is someone else's ("my friend's JSS dropped", "I heard...")."""
    held: bool = False
    """Upwork suspended the contract or put it on hold, or acted against the client's account."""
    unrated: bool = False
    """Some contract ended without feedback, told beside stars on others ("5 stars everywhere, but many
    clients never rate me"): `feedback` keeps the stars, this keeps the unrated contracts."""
    open_idle: bool = False
    """Contracts are still open with nothing happening on them."""
    aging: bool = False
    """The asker ties the score to time passing or old work (years ago, a break, old contracts)."""
    steady: bool = False
    """The asker says they work steadily, with no gaps."""
    offer_gone: bool = False
    """An offer was withdrawn, declined or expired before it became a contract."""
    contest_review: bool = False
    """The asker wants to contest (dispute, appeal) a review, not a payment."""
    feedback_late: bool = False
    """The feedback window is over and the asker asks whether feedback can still be left."""
    score_appeared: bool = False
    """A (first) JSS appeared on the asker's profile."""
    away: Literal["short", "long"] | None = None
    """The asker tells of time away from Upwork and for how long: under LONG_AWAY_MONTHS ("short") or more."""
    unmoved: bool = False
    """The score has not moved although new work or reviews came recently."""
    badge_aside: bool = False
    """A badge is told in the story but the asking sentences ask about the score, not the badge."""
    quit_early: bool = False
    """The asker ends (or thinks of ending) a contract before the work is done."""
    star_average: bool = False
    """The figure the asker tells is the star average, and no JSS is told."""
    recommend_figure: bool = False
    """The asker tells My Stats' "clients who would recommend you" percentage ("would recommend: 100% -> 89%")."""
    leverage_asked: bool = False
    """The asking sentences are about feedback used as a threat or as revenge ("how do I protect myself from revenge
    feedback?", "he threatens 1 star unless I refund"), or the story tells such a threat and the asking sentences ask
    only what to do ("refund half or he leaves 1 star ... is that the smart move or is there something else I can
    do?"). A threat told beside a specific question ("refund or not?", "how far could one bad review pull me down?",
    "does her rating count then?") is answered by that question's rule."""
    client_ends_fixed: bool = False
    """The asker is the client and asks about ending or stopping a fixed-price contract (escrow, milestones)."""
    paused: bool = False
    """The client paused the contract (their choice, unlike a hold by Upwork)."""
    client_rates: bool = False
    """The asker is the client and tells of the feedback they leave the freelancer ("if I end it and leave 2 stars"):
    how a client's review counts for the freelancer, not the feedback a freelancer gives a client (FB-OWN-FEEDBACK)."""
    client_rates_badly: bool = False
    """`client_rates` with a bad review, and the asking sentences ask what it does to the freelancer ("will it wreck his
    JSS?"): how a negative review counts (F-NEGATIVE)."""
    client_proposals: bool = False
    """The asker is the client and tells of proposals: how proposals show to a client (L-PROPOSAL-VIEW), not whether
    sending proposals feeds a freelancer's JSS (X-PROPOSALS)."""
    client_asked_to_close: bool = False
    """The asker is the client, nobody ended the contract, no escrow is told, and the asking sentences ask about ending
    it or leaving it open ("she asked me to end the contract, does it matter if I leave it open?"): Upwork's advice to
    close finished contracts (C-CLOSE-ADVICE)."""
    feedback_pending: bool = False
    """The contract ended and its review is awaited ("I don't see any feedback yet", "still waiting for his review"):
    when and how it comes (FB-DOUBLE-BLIND, FB-14DAYS), not a contract ended without feedback (X-NO-FEEDBACK, once the
    window is over or the asker says the client left none). A recent ending alone ("ended yesterday, does it hurt?")
    does not decide: training and batch 3 label it X-NO-FEEDBACK."""
    badge_lost_score_fine: bool = False
    """Top Rated gone while the JSS told is 90 or more, the score not told as moving, and not asked what removes it
    ("lost top rated today but my jss is still 92%"): the badge's other requirements (B-TR), not the drop under 90
    (B-TR-LOSS)."""
    badge_asked: bool = False
    """The asking sentences name a badge ("will it cost me my Top Rated badge?")."""
    asker_client: bool = False
    """The asker is the client, not the freelancer (their "I ended it" is read as the client ending it)."""
    badge_return: bool = False
    """The asker waits for Top Rated to come back once the score is back ("back at 92 but no badge yet", "how many
    weeks until the badge returns?"): the eligible weeks count decides, not what removed it."""
    badge_told: bool = True
    """The question names a badge, its eligible weeks or the 16-week count at all."""
    ended_unhappy: bool = False
    """The client ended (or ends) the contract unhappy and no review is told: how an unhappy ending counts
    (F-NEGATIVE), not a contract ended without feedback."""
    disputed: bool = False
    """A payment dispute, mediation or arbitration is told: what the dispute does decides (X-DISPUTE), not the $0
    rules."""
    paid_told: bool = False
    """The asker says in words that the contract paid ("paid in full", "payment received"), not only an amount."""
    visibility_asked: bool = False
    """The asking sentences ask whether a review shows on a contract that paid nothing or was refunded: public
    feedback shows only when $1 or more was paid (FB-PUBLIC-MIN)."""
    removal_asked: bool = False
    """The asking sentences ask to hide or remove a review."""
    open_counted: bool = False
    """A contract still open is told and the asking sentences ask whether it counts against the asker, not whether
    to end it: whether open contracts count (C-OPEN-INACTIVE-JSS) answers first."""
    refund_rated: bool = False
    """The money went back (refunded, or the escrow returned) and a poor rating came anyway, and the asking sentences
    ask whether the rating counts ("I approved his refund request, then he gave me 1 star. it should not count now,
    right?"): what a refund does to the outcome and a $0 contract's bad review (X-REFUND, X-ZERO-NEGATIVE), not how
    the client gets escrow back (C-ESCROW-REFUND), which already happened."""
    dormancy_told: bool = False
    """The contract is told as going (or gone) dormant or inactive: whether the escrow goes back is then dormancy's
    question (C-FP-DORMANT), not the client's refund request ("email saying the contract is about to become dormant,
    does Upwork take the money back?")."""
    account_blocked: bool = False
    """The asker's account can no longer send proposals or accept contracts (or is told as on hold) and poor reviews are
    told: the hold repeated negative feedback can bring (FB-HOLD), not whether proposals count."""
    rise_after_good_work: bool = False
    """The score went up and the story tells a new good review, no time passing nor a badge: the new job lifting the
    short windows the best of which is shown (W-WINDOWS, W-TRENDING), not old work leaving them."""
    near_24_months: bool = False
    """Work or a review told as about two years old (OLD_MONTHS or more) and asked whether it still counts: the
    24-month limit (W-24MAX) answers, not how the shorter windows age out."""
    mid_contract: Literal["rated", "request"] | None = None
    """Feedback given while the contract goes on ("left 3 stars as mid-contract feedback", "gave me feedback during
    the contract"): whether it counts (X-MID-CONTRACT-FB: it does not), or, when the asking sentences ask how to ask
    for it ("request", "greyed out"), how to request it (FB-MID); not what a bad rating does, nor the badge at risk."""

    auto_close_asked: Literal["hourly", "fixed", "any"] | None = None
    """The asking sentences ask whether Upwork closes the contract by itself ("does Upwork ever auto-close these or
    will it just sit there forever?"): what happens to a contract nobody ends (an hourly one: none is known to close;
    a fixed-price one with escrow: dormancy), not whether the asker should close it."""

    removal_perk_told: bool = False
    """The post tells of a way Top Rated freelancers removed a review ("he removed one bad feedback with a special
    button for Top Rated ... where is this button now?"): the perk's end answers it (X-REMOVAL-PERK), not the
    badge's requirements."""

    rates_client: bool = False
    """A freelancer tells of the feedback they leave the client ("does the feedback I leave for HIM affect my own
    JSS?", "I forgot to leave feedback to the client"): the feedback a freelancer gives (FB-OWN-FEEDBACK) or its
    window, not ending a contract."""
    own_score_asked: bool = False
    """The asking sentences ask about the asker's own score ("affect my own JSS", "does it hurt me")."""
    client_agency: bool = False
    """The client is told to be an agency ("same client, a marketing agency in Austin"), and the asker runs or belongs
    to none: agency scores (E-AGENCY) are not the question."""
    one_client: bool = False
    """The jobs told were for one client and no score shows yet ("two contracts closed, both 5 stars ... still no JSS.
    Both were from the same client"): the two different clients a JSS needs (E-CURRENT) answer."""
    fixed_auto_closed: bool = False
    """Upwork ended a fixed-price contract ("upwork closed my fp contract automatically"): the auto-closure of a dormant
    one (C-FP-OPTOUT), after which feedback is asked for as usual (round 21)."""
    old_rule_asked: bool = False
    """The asking sentences ask whether what happened years ago still holds ("Back in 2019 my JSS dropped because two
    clients closed without feedback. Is that still how it works?"), a year before the November 2020 change told: the
    rule of then against today's, not why a score falls now (round 20)."""
    jobs_compared: bool = False
    """Two jobs told with their pay, asked which one a poor rating would cost more on ("3 stars on a $180 job or 4 on a
    $1,500 one, which hurts less?"): a job's weight (WT-BAD-BIG), not an estimate of the score nor reporting a
    threat told beside it (round 20)."""
    formula_asked: bool = False
    """The asking sentences ask for the formula or its arithmetic ("show me the actual formula", "where does that
    math come from?") and the post names no window ("my 24-month numbers should put me around 90": which window is
    shown): how the score is computed (F-FORMULA), not how stars are displayed."""

    def tokens(self) -> list[str]:
        """Feature tokens for the classifier: each fact, plus the pairs whose meaning differs from the parts
        (client ended + no feedback is not the same question as I ended + 1 star)."""
        facts = {
            "end": self.ended_by,
            "money": self.money,
            "fb": self.feedback,
            "badge": self.badge,
            "dir": self.direction,
        }
        out = [f"zz{key}{value}" for key, value in facts.items() if value]
        if self.private_feedback:
            out.append("zzprivate")
        if self.hearsay:
            out.append("zzhearsay")
        if self.held:
            out.append("zzheld")
        if self.unrated:
            out.append("zzunrated")
        if self.offer_gone:
            out.append("zzoffergone")
        if self.contest_review:
            out.append("zzcontestreview")
        if self.feedback_late:
            out.append("zzfeedbacklate")
        if self.score_appeared:
            out.append("zzscoreappeared")
        if self.away:
            out.append(f"zzaway{self.away}")
        if self.badge_lost:
            out.append(f"zzlost{self.badge}")
        if self.unmoved:
            out.append("zzunmoved")
        if self.badge_aside:
            out.append("zzbadgeaside")
        if self.quit_early:
            out.append("zzquitearly")
        if self.star_average:
            out.append("zzstaraverage")
        if self.asker_client:
            out.append("zzaskerclient")
        if self.paused:
            out.append("zzpaused")
        if self.leverage_asked:
            out.append("zzleverage")
        if self.badge_return:
            out.append("zzbadgereturn")
        if self.open_counted:
            out.append("zzopencounted")
        if self.near_24_months:
            out.append("zznear24months")
        if self.refund_rated:
            out.append("zzrefundrated")
        if self.visibility_asked:
            out.append("zzvisibilityasked")
        if self.ended_unhappy:
            out.append("zzendedunhappy")
        if self.client_rates:
            out.append("zzclientrates")
        if self.feedback_pending:
            out.append("zzfbpending")
        if self.badge_lost_score_fine:
            out.append("zzlostscorefine")
        for a, b in (("end", "fb"), ("dir", "fb"), ("dir", "end"), ("end", "money")):
            if facts[a] and facts[b]:
                out.append(f"zz{a}{facts[a]}{b}{facts[b]}")
        return [t.replace("_", "") for t in out]


_LEVERAGE_RE = re.compile(
    r"\b(?:revenge|retaliat\w*|payback|spite\w*|vindictive|blackmail\w*|extort\w*)\b"
    r"|\bthreat\w*\s+(?:\w+\s+){0,4}?(?:bad|negative|low|poor|1|one)?\s*(?:stars?|reviews?|feedback|ratings?)\b"
    # "refund me or I'll leave 1 star", "otherwise he leaves a bad review" (not "without hurting my score or getting a
    # bad review", a fear)
    r"|\b(?:or|unless|otherwise)\s+(?:else\s+)?(?:he|she|they|i|the\s+client)\b\s*(?:\w+\s+){0,4}?"
    r"(?:bad|negative|low|poor|1|one)[\s-]*(?:stars?|reviews?|feedback|ratings?)\b"
    r"|\bin\s+exchange\s+for\s+(?:a\s+)?(?:good|positive|better|5[\s-]*stars?)\s+(?:reviews?|feedback|ratings?)\b"
    r"|\b(?:feedback|reviews?|ratings?)\s+as\s+(?:a\s+)?(?:stick|weapon|threat|leverage)\b"
)
"""Feedback used as a threat, a bargaining chip or revenge: rating manipulation, which Upwork removes when reported
(FB-REPORT), whatever refund or dispute the story tells beside it."""
_FIXED_MONEY_RE = re.compile(r"\b(?:fixedpric\w*|fixed|escrow|milestones?|budget|funded)\b")
_STOP_RE = re.compile(
    r"\b(?:end|ending|ends|stop|stopping|cancel\w*|close|closing|terminat\w*|want\s+out|get\s+out|quit)\b"
)
"""A client ending a fixed-price contract gets the unreleased escrow back through a refund request (C-ESCROW-REFUND);
the freelancer's own closing rules are not what the client asks."""
_PAUSED_RE = re.compile(
    r"\bpaus(?:ed|es|ing)?\s+(?:\w+\s+){0,2}?(?:contracts?|job|project)\b|\b(?:contracts?|job|project)\s+(?:\w+\s+){0,3}?paused\b"
)
"""The client paused the contract: hours already logged still bill, and whether a pause counts is C-PAUSED-JSS's
question (unless the asker says they ended it)."""
_BILLING_HOLD_RE = re.compile(
    r"\b(?:card|payment\s+method|billing)\b[^.?!]{0,40}?\b(?:declin\w*|fail\w*|expired|rejected)\b"
    r"|\bdeclin\w*\s+(?:card|payment)"
)
"""The client's card was declined: a contract paused for that is Upwork's billing hold (C-STATUSES), not a pause."""
_ASKER_CLIENT_RE = re.compile(
    # "i'm a client" folds to "i a client" (bot.qa.normalize drops contractions); not "the same as the client
    # approving it", "someone posed as a client"
    # round 17: "I am client from Germany", "I'm client" (non-native, no article)
    # round 18: a post opening "Client, small e-commerce brand." / "Client: ..."
    r"^client\s*[,:-]|\bclient\s+here\b|\b(?:i\s+am|i|im)\s+(?:a|the)\s+client\b|\b(?:i\s+am|im)\s+client\b|(?<!same\s)(?<!posed\s)(?<!posing\s)\bas\s+(?:a|the)\s+(?:client|buyer)\b"
    # round 15: "I'm on the client side" (folds to "i on the client side"), a business hiring on Upwork ("agency owner
    # here, we hire contractors on Upwork", "we run a small agency and hire on Upwork a lot"); not a freelancer's agency
    # ("my agency's JSS", "I work through an agency")
    r"|\b(?:i|we|i\s+am|we\s+are)\s+(?:\w+\s+)?on\s+the\s+(?:client|buyer)s?\s+side\b"
    r"|\bwe\s+(?:\w+\s+){0,6}?(?:hire|hiring)\s+(?:\w+\s+){0,2}?(?:on|through|via|from)\s+upwork\b"
    r"|\bwe\s+(?:often\s+|regularly\s+|also\s+|sometimes\s+)?(?:hire|are\s+hiring)\s+(?:freelancers|contractors)\b"
    r"|\bfrom\s+the\s+client\s+side\b|\bclient[\s-]+side\s*(?:here|question|:)|\b(?:buyer\s+here|client\s+asking)\b"
    r"|\bi\s+(?:just\s+)?post(?:ed)?\s+(?:a|my)\s+(?:first\s+)?job\b|\bposting\s+my\s+(?:first\s+)?job\b"
    r"|\b(?:my|our)\s+freelancers?\s+(?:has|have|had|is|was|did|does|keeps?|wants?|asked|missed|stopped|went|never)\b"
    r"|\b(?:freelancer|person|developer|designer|writer)\s+i\s+(?:hired|hire)\b"
    r"|\bi\s+(?:hired|am\s+hiring|want\s+to\s+hire)\s+(?:a|this|the|an)\s+(?:freelancer|developer|designer|writer)\b"
    # a client choosing whom to hire ("hiring for the first time here", "an applicant I'm interviewing")
    r"|\bhiring\s+for\s+the\s+first\s+time\b|\bfirst\s+time\s+hiring\b|\b(?:i\s+am|i)\s+hiring\b"
    r"|\b(?:applicants?|candidates?)\s+i\s+(?:am\s+)?(?:interviewing|considering|reviewing|looking\s+at)\b"
)
"""The asker is the client ("(client here)", "as a client", "the freelancer I hired"): "I ended it" is then the client
ending it, and the freelancer's own closing rules (C-FL-CAN-END, C-SELF-CLOSE-2MO) are not what is asked."""


_NEGATED_BEFORE_RE = re.compile(r"\b(?:not|never|without)\s+(?:\w+\s+)?$")
"""A negation just before a match: "without refunding the money", "I did not refund anyone" tell what did not
happen, so the match is not a fact of the story."""


def _first(table: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str | None:
    """The label of the earliest match in `text` that no negation governs (the story's first statement wins)."""
    best: tuple[int, str] | None = None
    for label, pattern in table:
        for match in pattern.finditer(text):
            if _NEGATED_BEFORE_RE.search(text, max(0, match.start() - 25), match.start()) is None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), label)
                break
    return None if best is None else best[1]


POSITIVE_STARS = 4.5
"""The lowest star rating read as good feedback."""


_INTENDED_STARS_RE = re.compile(
    r"\b(?:deserve[sd]?|(?:want\w*|will|would|going|gonna|plan\w*|like|wish|ready|trying|tries)\s+(?:to\s+)?(?:give|leave))"
    r"\s+(?:me\s+|him\s+|her\s+|them\s+|you\s+)?(?:a\s+|the\s+)?(?:\d(?:\.\d+)?|five|four|three|two|one)\s*star"
)
"""Stars still to be given ("all three deserve 5 stars, but the option is gone", "he wants to give 5 star now"): no
feedback that is in."""


def _feedback(folded: str, facts: Facts) -> Feedback | None:
    if facts.stars and len(_INTENDED_STARS_RE.findall(folded)) >= len(facts.stars):
        facts = facts.model_copy(update={"stars": []})  # every rating told is one still to give
    if facts.stars:
        lowest = min(s.value for s in facts.stars)
        return "positive" if lowest >= POSITIVE_STARS else "mixed" if lowest >= 4 else "negative"
    received = _STAR_RECEIVED_RE.search(folded)
    if received is not None and float(received.group(1)) < POSITIVE_STARS:
        # "ended it myself and got a 2.9": a low rating received, told without the word "stars" (a bare 5.0 is left
        # to the words around it, as before)
        return "mixed" if float(received.group(1)) >= 4 else "negative"
    if _NO_FEEDBACK_RE.search(folded):
        return "none"
    if re.search(r"\b(?:great|glowing|excellent|perfect|positive|good)\s+(?:feedback|review|comment)", folded):
        return "positive"
    if _LOOKS_FINE_RE.search(folded):
        return "positive"
    for match in re.finditer(
        r"\b(?:bad|negative|poor|terrible|unfair|horrible|nasty)\s+(?:feedback|review|rating)", folded
    ):
        before = folded[max(0, match.start() - 40) : match.start()]
        if _FEARED_BEFORE_RE.search(before):
            # "without getting a bad review", "can he leave me negative feedback?": feared, not received
            continue
        # "no bad reviews", "never had a bad review": every review good, not a bad one
        if _NO_BAD_BEFORE_RE.search(folded, max(0, match.start() - 30), match.start()) is None:
            return "negative"
        return "positive"
    return None


_STAR_RECEIVED_RE = re.compile(
    r"\b(?:got|get|received|gave\s+me|left\s+me|rated\s+me)\s+(?:a\s+|an\s+|only\s+a\s+)?([1-5]\.\d{1,2})\b(?!\s*%)"
)
"""A star rating received and told as a bare figure ("got a 2.9", "he gave me a 3.5"); what the asker left the client
("left them a polite 4.4") is not the asker's feedback."""
_LOOKS_FINE_RE = re.compile(
    r"\b(?:feedback|reviews?|ratings?|stars?)\s+(?:\w+\s+)?(?:looks?|seems?)\s+(?:all\s+)?"
    r"(?:fine|good|great|ok|okay|perfect|positive|excellent)\b"
)
"""Feedback told as looking good without stars ("my feedback ratings look fine"). Not "ratings are good": beside a
slow drop and a time cue it was read as hidden feedback (batch 8), the question of old work leaving the window."""
_NO_BAD_BEFORE_RE = re.compile(r"\b(?:no|not|never|without|zero|(?:have|has|had)\s*n[o']t)\b(?:\s+\w+){0,3}\s+$")
_FEARED_BEFORE_RE = re.compile(
    r"(?:\b(?:afraid|scared|worried|worry|fear\w*|avoid\w*|prevent\w*|risk\w*|getting|threat\w*|in\s+case)\b(?:\s+\w+){0,3}"
    r"|\b(?:can|could|will|would|might|may)\s+(?:he|she|they|the\s+client|the\s+freelancer|client|freelancer|i)\s+"
    r"(?:still\s+|then\s+|just\s+)?(?:leave|give|post|write|get)(?:\s+\w+){0,2})\s+$"
)
"""A bad review the asker fears or asks about ("without getting a bad review", "can the freelancer leave me negative
feedback?"), as opposed to one they received: not a fact of the story."""


def _own_sentences(folded: str) -> str:
    """The sentences that tell the asker's own story: "my friend's JSS dropped after he closed contracts" is neither
    the asker's drop nor a client ending the asker's contract."""
    return " . ".join(s for s in SENTENCE_RE.findall(folded) if not _HEARSAY_RE.search(s))


def drop_told(folded: str) -> bool:
    """The asker's own words say their score fell ("I dropped to 86%", "why did my score drop?"): a drop to record and
    explain. An outcome falling out of a window ("when does it fall out of the 6-month window?", "drops off") is no
    drop of the score."""
    own = _OUT_OF_WINDOW_RE.sub(" ", _own_sentences(folded))
    return _unnegated(_DOWN_RE, own, _NOT_TOLD_BEFORE_RE) is not None


_OUT_OF_WINDOW_RE = re.compile(r"\b(?:fall|falls|falling|fell|fallen|drop|drops|dropped|dropping)\s+(?:out|off)\b")
"""An outcome leaving a window ("fall out of", "drop off"), in the folded text."""


def _direction(folded: str, facts: Facts) -> Direction | None:
    """The asker's own score movement: sentences that tell someone else's story do not count."""
    own = _RATED_LOWER_RE.sub(" ", _own_sentences(folded))
    for clause in _recommend_clauses(own):
        own = own.replace(clause, " ")
    recommend = " ".join(_recommend_clauses(folded))
    figures = (
        {f"{facts.jss_from:g}", f"{facts.jss_to:g}"}
        if facts.jss_from is not None and facts.jss_to is not None
        else set()
    )
    jss_moved = facts.jss_from != facts.jss_to and not (
        figures and figures <= set(re.findall(r"\d+(?:\.\d+)?", recommend))
    )
    if facts.jss_from is not None and facts.jss_to is not None and jss_moved:
        if (
            own
            and re.search(r"\d", own)
            and (_DOWN_RE.search(own) or _UP_RE.search(own) or "->" in own or " to " in own)
        ):
            return "down" if facts.jss_to < facts.jss_from else "up"
    down, up = _unnegated(_DOWN_RE, own, _NOT_TOLD_BEFORE_RE), _unnegated(_UP_RE, own, _NOT_TOLD_BEFORE_RE)
    if down and (not up or down.start() < up.start()):
        return "down"
    if up:
        return "up"
    moved = _WAS_THEN_RE.search(own)
    if moved is not None and facts.jss_from is None and moved.group(1) != moved.group(2):
        # "was at 90 last week ... my score went to 84": two figures of the score, told apart
        return "down" if int(moved.group(2)) < int(moved.group(1)) else "up"
    return None


_WAS_THEN_RE = re.compile(
    r"\b(?:was|been|sat|sitting)\s+(?:at|on)\s+(\d{2,3})\b(?!\s*(?:usd|hours?|days?|weeks?|months?|years?))"
    r"[^?!]{0,200}?\b(?:went|gone|came|is\s+now|now\s+at|now\s+it\s+is)\s+(?:down\s+|up\s+)?(?:to|at)?\s*(\d{2,3})\b(?!\s*(?:usd|hours?|days?))"
)
"""The score told as two figures, before and now, without a word of movement the extraction reads ("was at 90 last
week ... and my score went to 84")."""


_HYPOTHETICAL_BEFORE_RE = re.compile(r"\b(?:gonna|going\s+to|will|would|could|might|if)\s+(?:\w+\s+){0,2}$")
"""A movement feared or supposed, not told ("is it gonna crash back down?", "will I fall back", "if it drops")."""
_NOT_TOLD_BEFORE_RE = re.compile(f"{_NEGATED_BEFORE_RE.pattern}|{_HYPOTHETICAL_BEFORE_RE.pattern}")
"""Negated or supposed: the words before a movement that tell none ("why is it higher than it should be, and is it
gonna crash back down?" tells no drop)."""


def _unnegated(
    pattern: re.Pattern[str], text: str, before: re.Pattern[str] = _NEGATED_BEFORE_RE
) -> re.Match[str] | None:
    """The first match of `pattern` that no negation governs: "so the score is not falling", "without tanking my JSS"
    tell what the asker wants to avoid, not a movement. `before`: what, just ahead of a match, rules it out."""
    for match in pattern.finditer(text):
        if before.search(text, max(0, match.start() - 25), match.start()) is None:
            return match
    return None


def _badge_lost(folded: str, token: str) -> bool:
    """The asker says the badge `token` went away: a loss word near it in the same sentence."""
    # "the badge" stands for the badge named ("Top Rated Plus with the badge, but now it does not show")
    badge = rf"(?:{token}|badges?)"
    near = rf"\b{badge}\b[^.?!]{{0,{_LOST_WINDOW}}}\b{_LOST}\b|\b{_LOST}\b[^.?!]{{0,{_LOST_WINDOW}}}\b{badge}\b"
    # "will it remove my Rising Talent?" (not "Top Rated freelancers can't remove a review")
    near += rf"|\bremove\s+(?:my\s+|the\s+|your\s+|our\s+)?{badge}\b"
    return re.search(near, folded) is not None


def read_story(folded: str, facts: Facts) -> Story:
    """The story facts of a folded question (see module docstring)."""
    feedback = _feedback(folded, facts)
    ender = _first(_ENDER, _own_sentences(folded))
    asker_client = _ASKER_CLIENT_RE.search(folded) is not None
    if asker_client and ender == "me":
        # "is it better for her if I close it now, or keep it open?": the client asks whether to end it, nobody has
        ender = "client" if _first(_ENDER, _own_sentences(telling_part(folded))) is not None else None
    # an amount alone says money moved, but any statement of what happened to it says more
    told = _first(_MONEY, folded)
    money = told or ("paid" if re.search(r"\busd\b", folded) else None)
    badge = _badge(folded)
    badge_lost = badge is not None and _badge_lost(folded, dict(_BADGES)[badge])
    direction = _direction(folded, facts)
    client_rates = asker_client and _CLIENT_RATES_RE.search(folded) is not None
    return Story(
        ended_by=ender,  # type: ignore[arg-type]  # labels come from the Literal-typed tables above
        money=money,  # type: ignore[arg-type]
        feedback=feedback,
        private_feedback=_PRIVATE_RE.search(folded) is not None,
        badge=badge,
        badge_lost=badge_lost,
        direction=direction,
        hearsay=_HEARSAY_RE.search(folded) is not None,
        held=_held(folded),
        unrated=feedback not in (None, "none") and _NO_FEEDBACK_RE.search(folded) is not None,
        open_idle=_told(_OPEN_IDLE_RE, folded),
        aging=_AGE_RE.search(folded) is not None,
        steady=_STEADY_RE.search(folded) is not None,
        offer_gone=_OFFER_GONE_RE.search(folded) is not None,
        contest_review=_CONTEST_RE.search(folded) is not None,
        feedback_late=_FEEDBACK_LATE_RE.search(folded) is not None
        and _STILL_RE.search(asking_part(folded)) is not None,
        score_appeared=_SCORE_APPEARED_RE.search(folded) is not None,
        away=_away(folded, facts),
        # new work is recent when told as such, or when the ending and its good review are the story ("the client
        # ended it with 5 stars, why did my score not go up?")
        unmoved=(_UNMOVED_RE.search(folded) is not None or _SAME_RE.search(folded) is not None)
        and (_RECENT_RE.search(folded) is not None or (ender is not None and feedback == "positive")),
        badge_aside=badge is not None and _badge_aside(asking_part(folded), folded),
        quit_early=_told(_QUIT_EARLY_RE, folded),
        # the JSS told as moving too ("job success 96%, would-recommend down to 91%, what tanked my numbers?"): why the
        # score moved is the question
        recommend_figure=any(re.search(r"\d\s*%", clause) for clause in _recommend_clauses(folded))
        and _FIGURES_ASKED_RE.search(asking_part(folded)) is not None
        and direction is None,
        star_average=STAR_FIGURE_RE.search(folded) is not None
        and _STAR_AVERAGE_RE.search(folded) is not None
        and _JSS_TOLD_RE.search(folded) is None,
        asker_client=asker_client,
        # a contract paused because the client's card was declined is Upwork's billing hold, not the client's pause
        paused=_PAUSED_RE.search(folded) is not None and _BILLING_HOLD_RE.search(folded) is None,
        leverage_asked=_LEVERAGE_RE.search(asking_part(folded)) is not None
        or (_LEVERAGE_RE.search(folded) is not None and _VAGUE_ASK_RE.search(asking_part(folded)) is not None),
        client_ends_fixed=asker_client
        and _FIXED_MONEY_RE.search(folded) is not None
        and _STOP_RE.search(asking_part(folded)) is not None,
        client_rates=client_rates,
        client_rates_badly=client_rates
        and feedback in ("negative", "mixed")
        and _THEIR_SCORE_RE.search(asking_part(folded)) is not None,
        client_proposals=asker_client and _PROPOSAL_RE.search(folded) is not None,
        client_asked_to_close=asker_client
        and ender is None
        and _FIXED_MONEY_RE.search(folded) is None
        and _CLOSE_OR_OPEN_RE.search(asking_part(folded)) is not None,
        feedback_pending=(ender is not None or _PASSIVE_END_RE.search(folded) is not None)
        and feedback in (None, "none")
        and money not in ("refunded", "escrow_back")  # a refund told beside it: what the refund does
        and _PENDING_RE.search(folded) is not None
        and not (_FEEDBACK_LATE_RE.search(folded) is not None and _STILL_RE.search(asking_part(folded)) is not None),
        badge_lost_score_fine=badge == "top_rated"
        and badge_lost
        and facts.jss_now is not None
        and facts.jss_now >= rule_numbers().tr_min_jss
        and (facts.jss_from is None or facts.jss_from == facts.jss_to)
        and _direction(folded, facts) is None
        and not _badge_return(folded)
        and _REMOVES_ASKED_RE.search(asking_part(folded)) is None,
        badge_asked=badge is not None and _BADGE_ASKED_RE.search(asking_part(folded)) is not None,
        badge_return=badge == "top_rated" and _badge_return(folded),
        badge_told=badge is not None or _BADGE_TOLD_RE.search(folded) is not None,
        # an unhappy client taking the money back is the refund or $0 rules' question
        ended_unhappy=feedback is None
        and not asker_client
        and money not in ("escrow_back", "refunded", "none")
        and _ENDED_UNHAPPY_RE.search(folded) is not None,
        disputed=_DISPUTED_RE.search(folded) is not None,
        paid_told=told == "paid",
        visibility_asked=money in ("none", "refunded")
        and (_visibility_asked(asking_part(folded)) or _NOT_SHOWN_RE.search(folded) is not None),
        removal_asked=_REMOVAL_ASKED_RE.search(asking_part(folded)) is not None,
        open_counted=ender is None
        and _OPEN_ONE_RE.search(folded) is not None
        and _COUNTS_ASKED_RE.search(asking_part(folded)) is not None
        and _IF_I_END_RE.search(asking_part(folded)) is None,
        refund_rated=money in ("escrow_back", "refunded")
        and feedback in ("negative", "mixed")
        and REVIEW_WORD_RE.search(asking_part(folded)) is not None
        and _COUNTS_RE.search(asking_part(folded)) is not None,
        dormancy_told=_DORMANCY_RE.search(folded) is not None,
        account_blocked=feedback in ("negative", "mixed") and _told(_ACCOUNT_BLOCKED_RE, folded),
        rise_after_good_work=_direction(folded, facts) == "up"
        and feedback == "positive"
        and _AGE_RE.search(folded) is None
        and badge is None,
        near_24_months=(
            sum(d.months >= OLD_MONTHS for d in facts.durations) > len(_TENURE_RE.findall(folded))
            and _STILL_COUNTS_RE.search(asking_part(folded)) is not None
        )
        # round 17: told by its date ("back in 2022 I had a dispute ... it's still dragging me down")
        or (
            facts.months_since_latest is not None
            and facts.months_since_latest >= OLD_MONTHS
            and _STILL_COUNTS_RE.search(folded) is not None
        ),
        mid_contract=_mid_contract(folded),
        auto_close_asked=_auto_close_asked(folded),
        removal_perk_told=_REMOVAL_PERK_RE.search(folded) is not None,
        rates_client=not asker_client and _RATES_CLIENT_RE.search(folded) is not None,
        own_score_asked=_OWN_SCORE_RE.search(asking_part(folded)) is not None,
        client_agency=_CLIENT_AGENCY_RE.search(folded) is not None and _OWN_AGENCY_RE.search(folded) is None,
        one_client=SAME_CLIENT_RE.search(folded) is not None and _NO_SCORE_RE.search(folded) is not None,
        formula_asked=_FORMULA_ASKED_RE.search(asking_part(folded)) is not None
        and _WINDOW_NAMED_RE.search(_PERIOD_RE.sub(" ", folded)) is None,
        fixed_auto_closed=ender == "upwork" and contract_kind(folded) == "fixed",
        old_rule_asked=_STILL_ASKED_RE.search(asking_part(folded)) is not None
        and _OLD_YEAR_RE.search(folded) is not None,
        jobs_compared=_JOBS_COMPARED_RE.search(asking_part(folded)) is not None and len(facts.amounts) >= 2,
    )


SAME_CLIENT_RE = re.compile(
    r"\b(?:with|for|from)\s+(?:the\s+)?same\s+(?:client|person|buyer|company)\b|\bsame\s+client\s+(?:twice|again)\b"
    r"|\b(?:both|all)\s+(?:\w+\s+){0,2}?(?:with|for|from)\s+(?:one|the\s+same)\s+client\b"
)
"""The jobs told were for one client ("both from the same client", "3 jobs for the same person"): they count as one
client towards the two a JSS needs (E-CURRENT)."""
_RATES_CLIENT_RE = re.compile(
    r"\b(?:feedback|reviews?|ratings?|stars?)\s+(?:that\s+)?(?:i|we)\s+(?:\w+\s+)?(?:leave|give|left|gave|write|wrote|post)\s+"
    r"(?:for|to|on)\s+(?:him|her|them|the\s+client|my\s+client|this\s+client|clients?)\b"
    r"|\b(?:leave|leaving|give|giving|left|gave|write|writing)\s+(?:\w+\s+){0,2}?(?:feedback|reviews?|ratings?)\s+"
    r"(?:to|for)\s+(?:the\s+|my\s+|this\s+|that\s+)?clients?\b"
    r"|\bi\s+(?:\w+\s+){0,2}?(?:give|leave|giving|leaving|gave|left)\s+(?:him|her|them|the\s+client|my\s+client)\s+"
    r"(?:\d|one|two|three|a\s+(?:bad|low|negative|1|one|2|two))\S*\s*(?:stars?|reviews?|feedback|ratings?)?\b"
    r"|\b(?:review|rate|rating)\s+(?:my|the|this|that)\s+client\b"
    r"|\b(?:feedback|review|rating)\s+(?:to|for)\s+(?:my|the|this|that)\s+client\b"
)
"""The feedback the asker (a freelancer) leaves the client ("does the feedback I leave for HIM affect my JSS?", "I
forgot to give feedback to my client", "missed the window to review my client"): it does not feed their own JSS."""
_OWN_SCORE_RE = re.compile(r"\bmy\s+(?:own\s+)?(?:jss|score|job\s+success)\b|\b(?:affect|hurt|harm)\w*\s+me\b")
_CLIENT_AGENCY_RE = re.compile(
    r"\bclients?\b[^.?!]{0,40}?\b(?:an?|is\s+an?)\s+(?:\w+\s+){0,2}?agency\b|\bagency\s+clients?\b"
    r"|\b(?:hired|hires|hiring)\s+(?:\w+\s+){0,2}?by\s+an?\s+(?:\w+\s+){0,2}?agency\b"
)
"""A client told to be an agency ("the same client, a marketing agency", "agency client")."""
_OWN_AGENCY_RE = re.compile(
    r"\b(?:my|our)\s+(?:own\s+)?agency\b|\bi\s+(?:run|own|started|have|manage)\s+(?:an?\s+)?(?:\w+\s+){0,2}?agency\b"
    r"|\bagency\s+(?:owner|member|account|profile|score|jss)\b|\b(?:in|join\w*|left|leave|quit)\s+(?:an?|the)\s+agency\b"
)
"""The asker runs or belongs to an agency: agency scores may be the question."""
_NO_SCORE_RE = re.compile(
    r"\b(?:no|still\s+no|without\s+a?)\s+(?:jss|score|job\s+success)\b|\b(?:jss|score)\s+(?:has\s*n[o']?t|did\s*n[o']?t|does\s*n[o']?t|is\s*n[o']?t)"
    r"\s+(?:\w+\s+)?(?:appear|show|come)\w*"
)
"""No score shows yet ("still no JSS", "my JSS hasn't appeared")."""
_FORMULA_ASKED_RE = re.compile(r"\bformula\b|\bmath\b|\bmaths\b|\barithmetic\b")
_WINDOW_NAMED_RE = re.compile(r"\b(?:trending|window|windows|3month|6month|12month|24month)\b")
_PERIOD_RE = re.compile(r"\b(?:last|past|previous)\s+\d+month\b(?!\W+(?:\w+\W+){0,2}?\d)")
"""A span of work told as a period ("Last 24 months, copied from my work history:"), not a window's score ("last 24
months roughly 86%")."""
_STILL_ASKED_RE = re.compile(
    r"\bstill\s+(?:how\s+it\s+works|the\s+case|the\s+rule|true|valid|apply|applies|like\s+that|a\s+thing)\b"
    r"|\b(?:is|does)\s+(?:that|this|it)\s+still\s+(?:work|apply|happen|count|true|the\s+case)"
)
"""Asked whether something told still holds ("is that still how it works?", "does it still apply?")."""
_OLD_YEAR_RE = re.compile(r"\b(?:19\d\d|200\d|201\d|2020)\b")
"""A year before the rules changed in November 2020 (T-2020-11-NOFB)."""
_JOBS_COMPARED_RE = re.compile(
    r"\bwhich\s+(?:one\s+|of\s+(?:them|these|those|the\s+two)\s+|job\s+|contract\s+|review\s+|rating\s+)?"
    r"(?:\w+\s+)?(?:hurts?|matters?|counts?|weighs?|damages?|costs?|is\s+worse|would\s+be\s+worse|harms?)\b"
    r"[^.?!]{0,30}\b(?:more|less|most|least|worse)\b"
)
"""Two jobs compared by what a poor rating on each would cost ("A or B, which hurts less: 3 stars on a $180 job, or 4
stars on a $1,500 one?", "which one matters more for my JSS?")."""


_MID_CONTRACT_RE = re.compile(
    r"\bmidcontract\s+(?:feedback|reviews?|ratings?)\b|\b90day\s+(?:feedback|reviews?|ratings?)\b"
    r"|\b(?:feedback|reviews?|ratings?|stars?)\s+(?:\w+\s+){0,3}?(?:during\s+(?:the\s+|our\s+|a\s+)?contract"
    r"|while\s+(?:the\s+|our\s+)?contract\s+is\s+(?:still\s+)?(?:open|active|running|ongoing))\b"
)
"""Feedback given while the contract goes on ("mid-contract" folds to "midcontract"; the "90-day feedback" Upwork asks
for on a long contract)."""
_MID_REQUEST_RE = re.compile(r"\b(?:request\w*|greyed|grayed|button)\b")
"""Asking for mid-contract feedback told ("I wanted to request it, but the option is greyed out")."""
_MID_ASK_FOR_RE = re.compile(r"\b(?:ask|asking)\s+(?:\w+\s+){0,3}?for\s+(?:\w+\s+)?(?:feedback|reviews?)\b")
"""Asked how to ask for it ("how can I ask my client for feedback mid-contract?"); told, it is the client being asked
by Upwork ("Upwork asks him for feedback during the contract") as often as the asker asking."""


_REMOVAL_PERK_RE = re.compile(
    r"\b(?:remov\w*|delet\w*|hid(?:e|ing))\b[^.?!]{0,60}\b(?:feedback|reviews?|ratings?)\b[^.?!]{0,80}"
    r"\b(?:button|option|perk|feature|privilege|benefit|toprated|trplus)\b"
    r"|\b(?:toprated|trplus)\b[^.?!]{0,60}\b(?:can|could|get\s+to|allowed\s+to|able\s+to)\s+(?:\w+\s+)?(?:remove|delete|hide)\b"
    r"|\b(?:feedback|review|rating)\s+remov\w*\s+(?:option|button|perk|feature|tool|privilege)\b"
    # round 22: the perk named before what it did ("the perk where you can remove one feedback from your JSS")
    r"|\b(?:perk|privilege|benefit)\b[^.?!]{0,40}\b(?:remov\w*|delet\w*|hid(?:e|ing))\b[^.?!]{0,30}"
    r"\b(?:feedback|reviews?|ratings?)\b"
)


_HOURLY_RE = re.compile(r"\bhourly\b|\bper\s+hour\b|\bwork\s*diary\b|\blogged\b|\btime\s*tracker\b")
_FIXED_RE = re.compile(r"\bfixed[\s-]*price\b|\bfixed\s+(?:contract|job|project)\b|\bmilestones?\b|\bescrow\b")


def contract_kind(folded: str) -> Literal["hourly", "fixed"] | None:
    """Hourly or fixed-price, when the question tells one kind only (Cues.contract_kind; which rule answers whether
    Upwork closes it by itself, Story.auto_close_asked)."""
    hourly, fixed = _HOURLY_RE.search(folded) is not None, _FIXED_RE.search(folded) is not None
    if hourly and fixed:  # "my hourly contract ... like the fixed price ones": the asker's own is named with "my"
        own = {m.group(1)[:5] for m in _OWN_KIND_RE.finditer(folded)}
        hourly, fixed = "hourl" in own, "fixed" in own
    if hourly == fixed:
        return None
    return "hourly" if hourly else "fixed"


_OWN_KIND_RE = re.compile(r"\b(?:my|our)\s+(?:\w+\s+)?(hourly|fixed)\b")


_AUTO_CLOSE_ASKED_RE = re.compile(
    r"\bauto[\s-]?clos\w*|\bclos\w*\s+(?:\w+\s+){0,2}?(?:by\s+itself|automatically|on\s+(?:its|their)\s+own)\b"
    r"|\bsit\s+(?:\w+\s+){0,2}?(?:open\s+)?forever\b"
    # round 22: "will Upwork close them on me like that?" (not an account: "will upwork close my account?")
    r"|\b(?:will|would|can|could|does|do|might)\s+upwork\s+(?:\w+\s+)?(?:close|end|cancel)\s+(?!(?:\w+\s+)?(?:account|profile)s?\b)"
)


def _auto_close_asked(folded: str) -> Literal["hourly", "fixed", "any"] | None:
    """See Story.auto_close_asked; the kind of contract when the post tells one."""
    if _AUTO_CLOSE_ASKED_RE.search(asking_part(folded)) is None:
        return None
    return contract_kind(folded) or "any"


def _mid_contract(folded: str) -> Literal["rated", "request"] | None:
    """See Story.mid_contract."""
    if _MID_CONTRACT_RE.search(folded) is None:
        return None
    requested = _MID_REQUEST_RE.search(folded) or _MID_ASK_FOR_RE.search(asking_part(folded))
    return "request" if requested is not None else "rated"


_UNHAPPY = r"(?:unhappy|angry|upset|furious|dissatisfied|unsatisfied|displeased|not\s+(?:satisfied|happy))"
_ENDED_UNHAPPY_RE = re.compile(
    rf"\b{_WHO}\s+(?:\w+\s+){{0,3}}?{_UNHAPPY}\s+(?:\w+\s+){{0,2}}?(?:and\s+)?{_END}\w*\b"
    rf"|\b{_WHO}\s+(?:\w+\s+){{0,2}}?{_END}\w*\s+(?:\w+\s+){{0,3}}?{_UNHAPPY}\b"
)
"""The client ended it unhappy ("the client ended the contract angry", "client was not satisfied and closed the
job")."""
_VAGUE_ASK_RE = re.compile(
    r"\bwhat\s+(?:should|can|could|do)\s+i\s+(?:\w+\s+)?do\b|\bsomething\s+else\s+i\s+can\s+do\b"
    r"|\bwhat\s+(?:are\s+)?my\s+options\b|\b(?:smart|right|best|wise)\s+move\b|\bis\s+that\s+(?:even\s+)?allowed\b"
)
"""An asking sentence that asks only what to do about the story ("what should I do?", "is that the smart move?")."""
_CLIENT_RATES_RE = re.compile(
    r"\b(?:leav\w*|give|giving|write|writing|post|posting|rate|rating)\s+(?:\w+\s+){0,3}?"
    r"(?:feedback|reviews?|ratings?|stars?|him|her|them)\b|\b(?:feedback|reviews?|ratings?|stars?)\s+from\s+(?:me|us)\b"
)
"""The client's own review of the freelancer ("leave honest feedback", "rate him 2 stars")."""
_THEIR_SCORE_RE = re.compile(
    r"\b(?:his|her|their)\s+(?:jss|score|job\s+success|career|profile|ratings?|account)\b"
    r"|\b(?:hurt|harm|ruin|wreck|affect|damag|destroy|punish)\w*\s+(?:him|her|them)\b"
)
"""The asking sentences ask what a review does to the freelancer ("is that going to wreck his JSS?")."""
_PROPOSAL_RE = re.compile(r"\b(?:proposals?|applicants?|applications?|tabs?)\b")
_CLOSE_OR_OPEN_RE = re.compile(
    rf"{_STOP_RE.pattern}|\b(?:leave|keep|leaving|keeping)\s+(?:it|the\s+contract|them|contracts?)\s+(?:\w+\s+)?open\b"
)
_PENDING_RE = re.compile(
    r"\b(?:no|not|any|nothing|never|without)\b[^.?!]{0,40}\b(?:feedback|reviews?|ratings?|stars?)\b[^.?!]{0,30}\byet\b"
    r"|\b(?:feedback|reviews?|ratings?)\b[^.?!]{0,30}\b(?:not|no)\b[^.?!]{0,20}\byet\b"
    r"|\bnofeedback\b[^.?!]{0,30}\byet\b"  # "no review" folds to "nofeedback"
    r"|\bwhen\s+(?:will|do|does|can)\s+i\s+(?:find\s+out|see|know|get)\s+(?:what\s+(?:they|he|she)\s+(?:thought|gave|rated)"
    r"|(?:their|his|her|the)\s+(?:feedback|review|rating))\b"
    r"|\byet\s+to\s+(?:leave|give|rate|review)\b|\bstill\s+waiting\s+(?:for|on)\s+(?:\w+\s+){0,2}?(?:feedback|reviews?|ratings?)\b"
)
"""A review awaited ("no feedback on it yet", "still waiting for his review", "when will I find out what they
thought?")."""
_PASSIVE_END_RE = re.compile(r"\b(?:contract|job)\s+(?:had|has|was|got|is)\s+(?:been\s+)?(?:ended|closed)\b")
"""An ending told without its subject ("a notification that the contract had ended")."""
_REMOVES_ASKED_RE = re.compile(
    r"\b(?:can|could|will|would|do|does)\s+(?:i|you|one|someone)\s+lose\b|\bwhat\s+(?:else\s+)?(?:removes|makes)\b"
)
"""Asked what takes the badge away ("can I lose Top Rated because of low earnings?"): B-TR-LOSS by convention."""


_COUNTS_RE = re.compile(r"\b(?:counts?|counted|counting|jss|score|job\s+success|hurt\w*|affect\w*)\b")
"""The asking sentences ask what something does to the score ("should not count in my jss, correct?")."""
_DISPUTED_RE = re.compile(r"\bdisput\w*|\barbitration\b|\bmediation\b|\bmediator\b")
_VISIBLE_RE = re.compile(
    r"\b(?:visib\w*|shows?|showing|shown|appear\w*|hidden|publicly)\b"
    r"|\bsee\s+(?:it|the\s+(?:review|feedback|comment|rating)|(?:his|her|their)\s+(?:review|feedback|comment|rating))\b"
)
"""Whether a review shows ("will it be visible?", "why can't I see it on my profile?", "would anyone see it?")."""
_NOT_SHOWN_RE = re.compile(
    r"\b(?:reviews?|feedback|ratings?|comments?|stars?)\b[^.?!]{0,40}?\b(?:doesn'?t|does\s+not|isn'?t|is\s+not|won'?t|will\s+not"
    r"|didn'?t|did\s+not|never|not)\s+(?:\w+\s+)?(?:show\w*|appear\w*|visible|on\s+(?:my|her|his|their|the)\s+profile)\b"
)
"""A review told as not showing ("the review isn't on her profile", "the 5 stars doesn't show"): with a $0 contract,
the public-feedback minimum's question even when the post asks something else ("did I do something wrong?")."""
REVIEW_WORD_RE = re.compile(r"\b(?:reviews?|feedback|fb|ratings?|comments?|stars?|rate)\b")


def _visibility_asked(asking: str) -> bool:
    """The asking sentences ask whether a review shows (not whether the contract or the JSS shows)."""
    return _VISIBLE_RE.search(asking) is not None and REVIEW_WORD_RE.search(asking) is not None


OLD_MONTHS = 18.0
"""Work or a review this old is near (or past) the 24-month limit: whether it still counts is W-24MAX's question ("my
worst review is 26 months old, is it out?"); a review from last spring ages out of the shorter windows (W-AGE-OUT)."""
_TENURE_RE = re.compile(
    r"\b(?:\d+(?:\.\d+)?\s*\+?\s*(?:years?|yrs?)|24month|48month)\s+(?:on|at|with|in)\s+(?:upwork|the\s+platform|this\s+platform|here)\b"
    r"|\b(?:freelancing|freelancer|working|member|been\s+here|been\s+on\s+upwork)\s+(?:for\s+)?(?:about\s+|over\s+|almost\s+)?"
    r"(?:\d+(?:\.\d+)?\s*\+?\s*(?:years?|yrs?)|24month|48month)\b"
)
"""Time on Upwork or in the trade ("4 years on Upwork", "freelancing for 6 years"): the asker's tenure, not the age
of the work asked about."""
_STILL_COUNTS_RE = re.compile(
    r"\bstill\s+(?:count|in\b|part|affect|matter|there|includ|hurt|weigh|drag|pull|haunt|impact)\w*|\bstop\w*\s+counting\b"
    r"|\b(?:fully|completely|entirely)\s+(?:drop|fall|roll|age)\w*\s+(?:off|out)\b|\b(?:gone|out)\s+(?:of|from)\b|\bforever\b|\bat\s+most\b"
    r"|\bkeep\w*\s+counting\b|\bhow\s+long\s+(?:does|do|will|can)\s+(?:\w+\s+){0,4}?(?:stay|count|remain)\w*\b"
)


_DORMANCY_RE = re.compile(
    r"\b(?:dormant|dormancy)\b|\b(?:become|becomes|becoming|became|go|goes|going|went|gone)\s+inactive\b"
)
_ACCOUNT_BLOCKED_RE = re.compile(
    r"\b(?:can\s+not|cannot|unable\s+to|not\s+able\s+to|no\s+longer\s+(?:able\s+to|can))\s+(?:send|submit)\s+(?:any\s+)?"
    r"(?:new\s+)?(?:proposals|bids)\b|\b(?:can\s+not|cannot|unable\s+to)\s+accept\s+(?:any\s+)?(?:new\s+)?(?:contracts|offers)\b"
    r"|\b(?:hold|restriction)\s+on\s+(?:my\s+)?account\b|\baccount\s+(?:\w+\s+){0,2}?(?:on\s+hold|restricted)\b"
)
"""The asker's account is held or restricted: no new proposals or contracts."""


_RETURN_RE = re.compile(
    r"\b(?:regain\w*|get\w*\s+(?:it|them|the\s+badge|toprated|my\s+(?:toprated\s+)?badge|(?:toprated\s+)?status)\s+back"
    r"|(?:come|comes|coming|came)\s+back|returns?|returned|reappear\w*|again|(?:not|no\s+longer)\s+(?:\w+\s+)?back)\b"
    # "no badge yet", "not got the badge back yet" (not "I'm not worried about the badge yet": a loss not feared yet)
    r"|\b(?:not|no)\s+(?!(?:\w+\s+){0,2}?(?:worr\w*|concern\w*|scared|afraid|care|bothered)\b)(?:\w+\s+){0,3}?"
    r"(?:badge|toprated)\s+(?:\w+\s+){0,2}?yet\b"
)
_RECOVERED_RE = re.compile(
    r"\bback\s+(?:to|at|above|over|up\s+to)\s+(?:9\d|100)\b|\b(?:above|over)\s+90\b|\b90\s*\+|\bnow\s+(?:at\s+)?9\d\b"
    r"|\b(?:fixed|recovered)\b|\bhow\s+(?:long|many\s+weeks|soon)\b|\bweeks?\s+(?:until|till|before)\b"
)
"""Top Rated awaited back once the score recovered, or how long that takes (B-TR-WEEKS: the bad weeks must roll out
of the 16 before the count rises), as opposed to a badge that just went away with the score fine (B-TR)."""
_BADGE_TOLD_RE = re.compile(r"\b(?:badges?|tr|eligible|16week)\b|\b\d+\s*(?:/|of|out\s+of)\s*16\b")
"""A badge or its eligible weeks told at all: "will my 78 ever go back to 90+?" names no badge, so the Top Rated
rules (whose questions often say "back above 90") are not what is asked."""


def _badge_return(folded: str) -> bool:
    """Top Rated awaited back after the score recovered (see _RECOVERED_RE): a sentence says the badge comes back."""
    returning = any(
        _RETURN_RE.search(sentence) is not None and _RETURNING_BADGE_RE.search(sentence) is not None
        for sentence in SENTENCE_RE.findall(folded)
    )
    return returning and _RECOVERED_RE.search(folded) is not None


_RETURNING_BADGE_RE = re.compile(r"\b(?:toprated|badges?|status)\b|\bget\w*\s+(?:it|them)\s+back\b")
"""What comes back is the badge ("the badge hasn't come back", "how long until I get it back?"), not the client ("they
can come back") nor the score."""


def _badge_aside(asking: str, folded: str = "") -> bool:
    """The asking sentences ask about the score and name no badge (see _BADGE_ASKED_RE), or name none while the post
    tells the score is gone ("my JSS is just... GONE. It was 100% with a Top Rated badge. How do I get it back?"); also
    a badge told as had before the score went ("was Top Rated, took 2 yrs off, now jss gone from profile", a title with
    no question of its own, round 21)."""
    gone = _SCORE_GONE_RE.search(folded) is not None
    if gone and _BADGE_HAD_RE.search(folded) is not None:
        return True
    if _BADGE_ASKED_RE.search(asking) is not None:
        return False
    return _SCORE_ASKED_RE.search(asking) is not None or gone


_BADGE_HAD_RE = re.compile(r"\b(?:was|used\s+to\s+be|had\s+been)\s+(?:a\s+)?(?:toprated|trplus|risingtalent)\b")
"""A badge told as had ("was Top Rated", "used to be Top Rated Plus")."""


_SCORE_GONE_RE = re.compile(
    r"\b(?:jss|score|job\s+success)\s+(?:is|was|has|just|now|completely|totally|\.|\s)*"
    r"(?:gone|disappeared|vanished|missing|not\s+(?:showing|shown|there|visible))\b"
    r"|\b(?:jss|score|job\s+success)\s+(?:\w+\s+)?(?:gone|disappeared|vanished|missing)\s+from\s+(?:my\s+)?profile\b"
    r"|\bno\s+(?:more\s+)?(?:jss|score)\s+(?:any\s?more|on\s+my\s+profile)\b"
)
"""The score told as gone, not lower ("my JSS is just... GONE", "no JSS on my profile anymore")."""


def _away(folded: str, facts: Facts) -> Literal["short", "long"] | None:
    """How long the asker is (or was) away, when they say they are and give a duration (see LONG_AWAY_MONTHS), or,
    with no duration, when the latest time they name is a year or more ago ("took a long break, my last contract
    ended in December 2023": long; a recent date says nothing about how long the break was)."""
    if AWAY_RE.search(folded) is None:
        return None
    if not facts.durations:
        since = facts.months_since_latest
        return "long" if since is not None and since >= LONG_AWAY_MONTHS else None
    if max(d.months for d in facts.durations) < MIN_AWAY_MONTHS:
        return None
    if max(d.months for d in facts.durations) >= LONG_AWAY_MONTHS:
        return "long"
    # a few months away, but asking whether the score or the account goes away: that is W-INACTIVITY's question
    return None if _GONE_RE.search(folded) else "short"


MIN_AWAY_MONTHS = 0.9
"""Days or a few weeks away move nothing (no work ages out that fast): "out of town for a week" is no time away."""
_GONE_RE = re.compile(r"\b(?:delet|deactivat|disappear|vanish|suspend)\w*|\bclos\w*\s+(?:\w+\s+){0,2}?accounts?\b")


_NOT_WANTED_RE = re.compile(r"\b(?:not|never|without)\b[^.?!,]{0,20}$")


def _told(pattern: re.Pattern[str], folded: str) -> bool:
    """A match of `pattern` that no nearby negation governs ("I do not want them sitting open forever" says
    what the asker wants to avoid, not what is)."""
    return any(
        _NOT_WANTED_RE.search(folded, max(0, m.start() - 25), m.start()) is None for m in pattern.finditer(folded)
    )


def _badge(folded: str) -> Badge | None:
    """The badge the question is about: the first one named in the asking sentences ("I had Rising Talent last year.
    What do I need for Top Rated now?" asks about Top Rated), else the first one named ("Top Rated requirements ...
    and my Rising Talent badge vanished" asks about Top Rated); Top Rated Plus and Expert-Vetted are their own
    tokens. Top Rated Plus named anywhere outranks Top Rated: "I am Top Rated, why not
    Top Rated Plus?" tells where the asker stands and asks about the badge above it. In the same way Expert-Vetted named
    anywhere outranks both (round 22): "I am TRP and my JSS is 96%, but still no Expert-Vetted badge" asks about it."""
    badge = _first_badge(asking_part(folded)) or _first_badge(folded)
    if badge in ("top_rated", "top_rated_plus") and re.search(r"\bexpertvetted\b", folded):
        return "expert_vetted"
    if badge == "top_rated" and re.search(r"\btrplus\b", folded):
        return "top_rated_plus"
    return badge


def _first_badge(text: str) -> Badge | None:
    best: tuple[int, Badge] | None = None
    for label, token in _BADGES:
        match = re.search(rf"\b{token}\b", text)
        if match is not None and (best is None or match.start() < best[0]):
            best = (match.start(), label)
    return None if best is None else best[1]


STORY_BOOST = 0.3
"""Added to (or taken from) a classifier score when the story settles which rule comes first; about the
gap between a confident first class and the runner-up, so it decides close calls, not clear ones."""


_AUTO_CLOSE_RULE = {"hourly": "C-HOURLY-INACTIVE", "fixed": "C-FP-DORMANT", "any": "C-AUTO-CLOSE-LORE"}
"""Whether Upwork closes a contract by itself, by kind: no closing of hourly contracts is known; an idle fixed-price one
with escrow goes dormant; untold, the lore about auto-closing and what the rules say."""
_IDLE_RULES = ("C-FP-DORMANT", "C-FP-OPTOUT", "C-AUTO-CLOSE-LORE", "C-HOURLY-INACTIVE")
"""What happens to a contract nobody ends (dormancy, its opt-out, auto-closing lore, idle hourly contracts)."""
NOT_APPLICABLE = 1.0
"""Taken from a rule the story rules out rather than disfavours (the client ended the contract: "you can end it
yourself" does not apply), enough to move a confident first class down."""


def _add(out: dict[str, float], change: float, *rules: str) -> None:
    """Add `change` to each rule's adjustment: several facts may move the same rule, and their changes add up."""
    for rule in rules:
        out[rule] = out.get(rule, 0.0) + change


def rule_adjustments(story: Story) -> dict[str, float]:
    """Score changes per rule implied by the story, for facts whose meaning is settled by the rules:

    * the client or Upwork ended it and no feedback came: X-NO-FEEDBACK is the answer, not closing advice; ended
      and rated (and no unrated contract told): not X-NO-FEEDBACK nor who ends it (FB-WHO-ENDS);
    * the asker ended it and the client rated it badly: not the two-month wait nor an idle open contract;
    * the client wants the escrow back: the escrow refund request, not dormancy;
    * the milestone was released automatically: the auto-release rule, not dormancy; the client released it
      himself (paid): not the auto-release rule;
    * Rising Talent (no JSS yet): the Top Rated rules do not apply; Rising Talent lost: how it is lost;
    * Top Rated lost with no score movement told: what removes it (with a drop, why the score fell); awaited back
      once the score recovered, or how long that takes: the eligible weeks (B-TR-WEEKS), not what removed it;
    * no badge named at all: not the Top Rated rules ("will my 78 ever get back above 90?" is about the score);
    * work or a review about two years old, asked whether it still counts: the 24-month limit (W-24MAX);
    * whether a review shows on a contract that paid nothing or was refunded: public feedback needs $1 paid
      (FB-PUBLIC-MIN);
    * the client ended it unhappy and no review is told: how that counts (F-NEGATIVE), not X-NO-FEEDBACK;
    * a bad review on a contract that paid nothing (no payment dispute told): the $0 rule (X-ZERO-NEGATIVE), not
      X-NO-FEEDBACK;
    * an offer withdrawn or declined before it started: offers and proposals are not JSS inputs, whatever the drop
      told beside it;
    * a review to contest ("dispute the rating he gave"): reporting feedback, not a payment dispute;
    * the feedback window is over and can it still be left: asking for late feedback, not the 14 days;
    * Rising Talent gone as a first JSS appeared: the badge replaced (E-RISING, B-RT), not lost (B-RT-LOSS);
    * time away with its length told and no drop yet: a few months let old work age out (W-AGE-OUT), a year or more
      can take the score away (W-INACTIVITY);
    * Top Rated Plus gone with no score movement told: what the badge asks for (B-TRP), not the score going away;
      Expert-Vetted named (round 22): its own rule (B-EV), not Top Rated Plus's;
    * a badge told in passing while the asking sentences ask about the score: not a badge rule;
    * the score has not moved although new work came recently (or an ending with a good review is the story): when it
      is recalculated (W-CADENCE-CURRENT), not old work leaving the window, hidden feedback nor what raises it;
    * ending a contract before the work is done: whether and how a freelancer may end it (C-FL-CAN-END), whatever
      the contract's type words ("long-term") say;
    * Upwork suspended the contract or acted against the client: the flagged-client rule (X-FLAGGED-CLIENT);
    * the client ended the contract (or the client is the one asking): "you can end it yourself", the freelancer's
      two-month wait and what happens to a contract nobody ends (dormancy, its opt-out, auto-closing, an idle hourly
      contract, an auto-release not told) do not apply (NOT_APPLICABLE);
    * a client asking about ending a fixed-price contract: the escrow refund request (C-ESCROW-REFUND);
    * the client paused the contract and nobody ended it: what a pause does (C-PAUSED-JSS);
    * the asking sentences ask to hide or remove a review: not who ends the contract (FB-WHO-ENDS);
    * one contract still open and the asking sentences ask whether it counts (not whether ending it would hurt):
      whether open contracts count (C-OPEN-INACTIVE-JSS), not the two-month wait before closing it;
    * feedback used as a threat or as revenge, asked about: reporting it (FB-REPORT);
    * a refund told beside a drop: the refund rule (X-REFUND) before old work leaving the window;
    * time away while asking about a badge: the badge's requirements, not old work leaving the window;
    * the client asking (round 13): the review they leave is not the feedback a freelancer gives (FB-OWN-FEEDBACK
      ruled out), and a bad one asked about for the freelancer's score is how negatives count (F-NEGATIVE); proposals
      are how they show to the client (L-PROPOSAL-VIEW), not JSS inputs (X-PROPOSALS); asked to end a finished contract,
      or whether to keep it open, Upwork's advice to close (C-CLOSE-ADVICE);
    * Top Rated lost with the JSS told at 90+ and not asked what removes it: another requirement (B-TR), not B-TR-LOSS;
    * the contract ended and its review is awaited ("no feedback yet"): when it comes (FB-DOUBLE-BLIND, FB-14DAYS), not
      X-NO-FEEDBACK;
    * a poor or mixed rating received, no escrow asked back nor released: what the rating does, not idle escrow's
      dormancy, its opt-out or the auto-release (a fixed-price job's type words are not the question);
    * round 15: the contract told as going dormant keeps the escrow-back nudges off (dormancy's question); no new
      proposals or contracts after poor reviews is the account hold (FB-HOLD), not whether proposals count; a rise
      with a new good review is the short windows (W-WINDOWS, W-TRENDING), not old work leaving them; Top Rated
      awaited back lowers a refund told beside it; the payment told in words (not an amount alone) lowers the
      auto-release, and released then rated, the escrow refund request;
    * round 16: feedback given while the contract goes on: whether it counts (X-MID-CONTRACT-FB), or how to ask for it
      (FB-MID); time away told by the latest date named, a year or more ago, is a long absence (W-INACTIVITY);
    * round 22: My Stats' "would recommend" figure told with its percentage and asked about, the JSS not told to move:
      how that figure refreshes (FB-RECOMMEND-LAG); a score that rose with a bad review told with its time: the bad
      outcome leaving a window (W-AGE-OUT).
    """
    out: dict[str, float] = {}
    if story.feedback_pending:
        # the review is awaited: when and how it comes, not a contract that ended without one
        _add(out, STORY_BOOST, "FB-DOUBLE-BLIND", "FB-14DAYS")
        _add(out, -STORY_BOOST, "X-NO-FEEDBACK")
    elif story.ended_by in ("client", "upwork") and story.feedback == "none":
        out["X-NO-FEEDBACK"] = STORY_BOOST
        out["C-SELF-CLOSE-2MO"] = -STORY_BOOST
    elif story.ended_by in ("client", "upwork") and story.feedback is not None and not story.unrated:
        # the client ended it and rated it ("closed it and gave me 5 stars"): feedback came, so neither the rule for
        # contracts that end without any nor who should end it to get some
        out["X-NO-FEEDBACK"] = -STORY_BOOST
        out["FB-WHO-ENDS"] = -STORY_BOOST
    if story.ended_by == "me" and story.feedback in ("negative", "mixed") and not story.unrated:
        # the asker ended it and the client then rated it badly ("I ended it myself and got a 2.9"): the contract is
        # closed and rated, so neither the two-month wait before closing it nor an idle open contract is the answer
        _add(out, -STORY_BOOST, "C-SELF-CLOSE-2MO", "C-OPEN-INACTIVE-JSS")
    if story.ended_by == "me" and story.feedback == "none" and story.money == "paid":
        # a paid job the asker closed, the client never rated: whether it hurts is X-NO-FEEDBACK
        out["X-NO-FEEDBACK"] = STORY_BOOST
    if story.money == "none" and story.feedback is None and story.ended_by is None and not story.private_feedback:
        # closing a contract that never paid anything: the $0 / no-feedback rules decide, not the two-month wait
        out["C-SELF-CLOSE-2MO"] = -STORY_BOOST
    if (
        story.money == "none"
        and story.feedback in ("negative", "mixed")
        and story.ended_by != "upwork"
        and not story.disputed
    ):
        # a bad review on a contract that paid nothing: whether a $0 contract's feedback counts
        _add(out, STORY_BOOST, "X-ZERO-NEGATIVE")
        _add(out, -STORY_BOOST, "X-NO-FEEDBACK")
    if story.money == "none" and story.private_feedback:
        # "did he rate me badly in private on a job with 0 hours?": whether a $0 contract's feedback counts
        out["X-ZERO-NEGATIVE"] = STORY_BOOST
        out["F-PRIVATE-FB"] = -STORY_BOOST
    out.update(_drop_adjustments(story))
    if story.money == "escrow_back" and not story.dormancy_told:
        out["C-ESCROW-REFUND"] = STORY_BOOST
        out["C-FP-DORMANT"] = -STORY_BOOST
    if story.refund_rated:
        # the money went back and a poor rating came anyway, asked whether it counts: the refund and the $0 rules,
        # not how the client gets escrow back (done already)
        _add(out, STORY_BOOST, "X-REFUND", "X-ZERO-NEGATIVE")
        out["C-ESCROW-REFUND"] = -NOT_APPLICABLE
    if story.paid_told:
        # the client paid or released the money himself (an amount alone, "$800 milestone", says no such thing)
        out["C-FP-AUTO-RELEASE"] = -STORY_BOOST
        if story.feedback in ("positive", "mixed", "negative") and not story.refund_rated:
            # released and then rated: the contract is over and paid, no escrow is left to ask back
            _add(out, -STORY_BOOST, "C-ESCROW-REFUND")
    if story.paid_told:
        # the asker says it paid ("he paid in full and gave me 5 stars"): the $0 rules do not decide (an amount alone,
        # "he can only pay $5", says less)
        _add(out, -STORY_BOOST, "X-ZERO-POSITIVE", "X-ZERO-NEGATIVE")
    if story.money == "released":
        out["C-FP-AUTO-RELEASE"] = STORY_BOOST
        out["C-FP-DORMANT"] = -STORY_BOOST
    if story.badge == "rising_talent":
        for rule in ("B-TR", "B-TR-WEEKS", "B-TR-LOSS"):
            out[rule] = -STORY_BOOST
        if story.score_appeared:
            # a first JSS replaced the badge: that is what Rising Talent is, not a loss
            out["E-RISING"] = out["B-RT"] = STORY_BOOST
        elif story.badge_lost:
            out["B-RT-LOSS"] = STORY_BOOST
    if story.badge_return:
        # the score is back and the badge is not (or how long that takes): the eligible weeks decide
        out["B-TR-WEEKS"] = STORY_BOOST
        out["B-TR-LOSS"] = -STORY_BOOST
        # a refund told before it is the story ("refunded a client, TR is gone, how long till it comes back"), not the
        # question
        _add(out, -STORY_BOOST, "X-REFUND")
    elif (
        story.badge == "top_rated" and story.badge_lost and story.direction is None and not story.badge_lost_score_fine
    ):
        out["B-TR-LOSS"] = STORY_BOOST
    if story.ended_unhappy:
        # an unhappy client ending it, no review told: how an unhappy ending counts, not an ending without feedback
        _add(out, STORY_BOOST, "F-NEGATIVE")
        _add(out, -STORY_BOOST, "X-NO-FEEDBACK")
    if story.visibility_asked:
        # does a review show on a contract that paid nothing: public feedback needs $1 paid
        _add(out, STORY_BOOST, "FB-PUBLIC-MIN")
    if story.mid_contract is not None:
        # feedback during the contract: whether it counts (it does not), or how to ask for it; not what a rating does
        if story.mid_contract == "request":
            _add(out, STORY_BOOST, "FB-MID")
            _add(out, STORY_BOOST / 2, "X-MID-CONTRACT-FB")
        else:
            _add(out, STORY_BOOST, "X-MID-CONTRACT-FB")
            _add(out, -STORY_BOOST, *_RATING_IMPACT_RULES)
    if story.removal_perk_told:
        # "Top Rated could remove one bad review, where is that button now?": the perk ended, not the badge's rules
        _add(out, STORY_BOOST, "X-REMOVAL-PERK")
        _add(out, -STORY_BOOST, "B-TR", "B-TRP")
    if story.auto_close_asked is not None:
        # "will Upwork auto-close it?": what happens to a contract nobody ends, not whether to end it yourself
        _add(out, STORY_BOOST, _AUTO_CLOSE_RULE[story.auto_close_asked])
        _add(out, -STORY_BOOST, "C-SELF-CLOSE-2MO")
    if story.recommend_figure:
        # "'clients who would recommend you' fell to 91% but my JSS did not move": how that figure refreshes, not why
        # a score moved
        _add(out, STORY_BOOST, "FB-RECOMMEND-LAG")
    if story.direction == "up" and story.aging and story.feedback in ("negative", "mixed"):
        # the score rose with nothing new, and a bad review told with its time ("the 1-star was in early August, now
        # 87 -> 93, did the pause do it?"): the bad outcome leaving a window (round 22)
        _add(out, STORY_BOOST, "W-AGE-OUT")
    if story.near_24_months:
        # about two years old and does it still count: the 24-month limit, not the shorter windows ageing out
        _add(out, STORY_BOOST, "W-24MAX")
        _add(out, -STORY_BOOST, "W-AGE-OUT")
    if not story.badge_told:
        # no badge named at all: "back above 90" is the score's recovery, not the Top Rated rules
        _add(out, -STORY_BOOST, "B-TR", "B-TR-WEEKS", "B-TR-LOSS")
    if story.badge == "top_rated_plus" and story.badge_lost and story.direction is None:
        # the badge is gone and the score did not move: what Top Rated Plus asks for, not the score itself going away
        out["B-TRP"] = STORY_BOOST
        out["W-INACTIVITY"] = -STORY_BOOST
    if story.badge == "expert_vetted" and not story.badge_aside:
        # Expert-Vetted named (beside Top Rated Plus, the badge it needs): its own rule, not Top Rated Plus's
        out["B-EV"] = STORY_BOOST
        _add(out, -STORY_BOOST, "B-TRP")
    if story.badge_aside and not story.badge_lost_score_fine:
        # a badge told in passing while the question asks about the score (not a badge lost or at risk while the
        # score is fine: "how can that be if my JSS is still 98?" asks why the badge goes)
        _add(out, -STORY_BOOST, "B-TR", "B-TR-WEEKS", "B-TR-LOSS", "B-TRP")
    if story.unmoved and story.direction != "down" and not story.badge_lost:
        # new work, no movement yet: when the score is recalculated
        _add(out, STORY_BOOST, "W-CADENCE-CURRENT")
        # (and not what raises it: "the client ended it with 5 stars, why did my score not go up?")
        _add(out, -STORY_BOOST, "W-AGE-OUT", "F-PRIVATE-FB", "F-POSITIVE")
    if story.quit_early:
        # ending a contract before the work is done, whatever kind of contract it is
        _add(out, STORY_BOOST, "C-FL-CAN-END")
        _add(out, -STORY_BOOST, "WT-LONG-TERM", "C-SELF-CLOSE-2MO")
    if story.asker_client or (story.ended_by == "client" and not story.quit_early):
        # the client ended it (or the client asks): not "you can end it yourself" nor the freelancer's two-month
        # wait, and an ended contract is neither dormant nor waiting for an auto-release
        lowered = ["C-FL-CAN-END", "C-SELF-CLOSE-2MO"]
        if story.ended_by == "client":
            lowered += [*_IDLE_RULES, *([] if story.money == "released" else ["C-FP-AUTO-RELEASE"])]
        for rule in lowered:
            out[rule] = min(out.get(rule, 0.0), -NOT_APPLICABLE)
        if story.ended_by == "client":
            # an ended contract is not an idle open one (other contracts may still be, so only disfavoured)
            _add(out, -STORY_BOOST, "C-OPEN-INACTIVE-JSS")
    if story.feedback in ("negative", "mixed") and story.money not in ("escrow_back", "released") and not story.held:
        # "an $800 fixed-price job ended with 2 stars, how bad is it?": a rating received is what counts, not what
        # happens to idle escrow ("fixed price" is the contract's type, not the question)
        _add(out, -STORY_BOOST, "C-FP-DORMANT", "C-FP-OPTOUT", "C-FP-AUTO-RELEASE")
    if story.rates_client:
        # "i forget to leave feedback to client, contract end 20 january. still possible now?": not ending a contract
        _add(out, -STORY_BOOST, "C-SELF-CLOSE-2MO", "C-FL-CAN-END")
        if story.own_score_asked:
            # "does the feedback I leave for HIM affect my own JSS?"
            _add(out, STORY_BOOST, "FB-OWN-FEEDBACK")
    if story.client_agency:
        # "both from the same client, a marketing agency in Austin ... still no JSS": the client's kind, not agencies'
        _add(out, -STORY_BOOST, "E-AGENCY")
    if story.one_client:
        # "two contracts closed, both 5 stars ... still no JSS. Both were from the same client": two different clients
        _add(out, STORY_BOOST, "E-CURRENT")
    if story.fixed_auto_closed and story.money != "released":
        # "upwork closed my fp contract automatically, can the client still leave feedback?": the auto-closure of a
        # dormant fixed-price contract (C-FP-OPTOUT: feedback after it as usual), not a milestone released by itself
        _add(out, STORY_BOOST, "C-FP-OPTOUT")
        _add(out, -STORY_BOOST, "C-FP-AUTO-RELEASE")
    if story.old_rule_asked:
        # "back in 2019 two clients closed without feedback and my JSS dropped, is that still how it works?": the
        # rule's change, not old work leaving the windows
        _add(out, -STORY_BOOST, "W-AGE-OUT")
        if story.feedback == "none":
            _add(out, STORY_BOOST, "T-2020-11-NOFB", "X-NO-FEEDBACK")
    if story.jobs_compared:
        # "$3,200 hinting at 3 stars, $85 threatening 1 star: which one matters more?": the bigger job weighs more
        _add(out, 2 * STORY_BOOST, "WT-BAD-BIG")
        _add(out, -STORY_BOOST, "L-ESTIMATOR", "FB-REPORT")
    if story.formula_asked:
        # "9 five-star reviews, one 4 star, and I'm at 87%?? Where does that math come from?"
        _add(out, STORY_BOOST, "F-FORMULA")
        _add(out, -STORY_BOOST, "FB-STARS-DISPLAY")
    if story.removal_asked:
        # "I ended it and he left a nasty review out of spite, can I hide it?": not who should have ended it
        _add(out, -STORY_BOOST, "FB-WHO-ENDS")
    if story.open_counted and story.mid_contract is None:
        # "I have an open contract, the client vanished: is it counted against me?": whether open contracts count;
        # a rating given on it while it goes on ("a 3-star on the 90-day feedback ... does it already count?") is
        # whether mid-contract feedback counts (round 20)
        _add(out, STORY_BOOST, "C-OPEN-INACTIVE-JSS")
        _add(out, -STORY_BOOST, "C-SELF-CLOSE-2MO")
    if story.leverage_asked:
        # a threat of a bad review, or one left as revenge: manipulation to report (FB-REPORT)
        _add(out, STORY_BOOST, "FB-REPORT")
    if story.client_ends_fixed:
        _add(out, STORY_BOOST, "C-ESCROW-REFUND")
    if story.client_rates:
        # the client's own review of the freelancer: not the feedback a freelancer gives a client
        out["FB-OWN-FEEDBACK"] = min(out.get("FB-OWN-FEEDBACK", 0.0), -NOT_APPLICABLE)
    if story.client_rates_badly:
        _add(out, STORY_BOOST, "F-NEGATIVE")
    if story.client_proposals:
        # how proposals show to the client, not whether proposals feed the JSS
        _add(out, STORY_BOOST, "L-PROPOSAL-VIEW")
        _add(out, -STORY_BOOST, "X-PROPOSALS")
    if story.client_asked_to_close:
        _add(out, STORY_BOOST, "C-CLOSE-ADVICE")
    if story.badge_lost_score_fine:
        # the score is 90+, so the loss came from another requirement
        _add(out, STORY_BOOST, "B-TR")
        _add(out, -STORY_BOOST, "B-TR-LOSS")
    if story.paused and story.ended_by is None and not story.held and not story.badge_lost_score_fine:
        # the client paused it and nobody ended it: what a pause does (not when Top Rated goes while the score is
        # 90+: the badge's other requirements, its activity among them, explain the loss, not the pause)
        _add(out, STORY_BOOST, "C-PAUSED-JSS")
    if story.held:
        # Upwork acted on the contract or the client: the client may no longer be able to act
        _add(out, STORY_BOOST, "X-FLAGGED-CLIENT")
    if story.offer_gone:
        out["X-PROPOSALS"] = STORY_BOOST
    if story.account_blocked:
        # no new proposals or contracts after poor reviews: the account hold repeated negative feedback brings, not
        # whether proposals count nor why the score fell beside it ("went 91 to 80, now I can't send proposals")
        _add(out, STORY_BOOST, "FB-HOLD")
        _add(out, -STORY_BOOST, "X-PROPOSALS", "W-AGE-OUT")
    if story.rise_after_good_work:
        # a rise with a new good review: the new job lifts the short windows (the best one is shown)
        _add(out, STORY_BOOST, "W-WINDOWS", "W-TRENDING")
        _add(out, -STORY_BOOST, "W-AGE-OUT")
    if story.contest_review:
        out["FB-REPORT"] = STORY_BOOST
        out["X-DISPUTE"] = -STORY_BOOST
    if story.feedback_late:
        out["FB-LATE"] = STORY_BOOST
        out["FB-14DAYS"] = -STORY_BOOST
    if story.money == "refunded" and story.direction == "down" and not story.aging:
        # a refund told beside a drop: what a refund does to the score comes first, not old work leaving the window
        _add(out, STORY_BOOST, "X-REFUND")
        _add(out, -STORY_BOOST, "W-AGE-OUT")
    if story.away is not None and story.direction is None and story.badge_asked and story.badge in _AWAY_BADGE_RULES:
        # "will time away cost me my badge?": what the badge asks for, not old work leaving the window
        _add(out, STORY_BOOST, *_AWAY_BADGE_RULES[story.badge])
    elif story.away is not None and story.direction is None:
        # "what happens while I'm away?": a few months let old work age out, a year or more can take the score away
        longer, shorter = ("W-INACTIVITY", "W-AGE-OUT") if story.away == "long" else ("W-AGE-OUT", "W-INACTIVITY")
        _add(out, STORY_BOOST, longer)
        _add(out, -STORY_BOOST, shorter)
    return out


_RATING_IMPACT_RULES = (
    "F-PUBLIC-EMPHASIS",
    "F-NEGATIVE",
    "L-ESTIMATOR",
    "L-NEWBIE-MATH",
    "L-ONE-BAD-15",
    "L-SMALL-BAD",
)
"""What a rating does to the score: not the question when the rating was given mid-contract (it does not count)."""
_AWAY_BADGE_RULES: dict[str, tuple[str, ...]] = {"top_rated": ("B-TR", "B-TR-LOSS"), "top_rated_plus": ("B-TRP",)}


def _drop_adjustments(story: Story) -> dict[str, float]:
    """The most common question: "my JSS dropped although every review is 5 stars / I work steadily".

    * open contracts with nothing happening on them: whether those count (C-OPEN-INACTIVE-JSS), not which to
      close first (L-STAGGER, C-SELF-CLOSE-2MO) nor old work leaving the window;
    * else, with the drop tied to time passing, old work or the recalculation right after one new review
      (and the asker not asking about hidden feedback): old results leaving the window (W-AGE-OUT);
    * else (public reviews all good, or steady work, and nothing told about time): the hidden private
      feedback (F-PRIVATE-FB), not old work leaving the window.

    First of all: a star average that moved with no JSS told ("4.94 to 4.47") is how stars are averaged and shown
    (FB-STARS-DISPLAY), not hidden feedback behind a JSS drop.
    """
    puzzled = (story.direction == "down" and story.feedback == "positive") or (
        story.steady and story.feedback in (None, "positive")
    )
    if story.star_average:
        # the star average moved, not the JSS: how stars are averaged and shown
        return {"FB-STARS-DISPLAY": STORY_BOOST, "F-PRIVATE-FB": -STORY_BOOST}
    if story.open_idle and story.ended_by is None:
        return {
            "C-OPEN-INACTIVE-JSS": STORY_BOOST,
            "L-STAGGER": -STORY_BOOST,
            "C-SELF-CLOSE-2MO": -STORY_BOOST,
            "W-AGE-OUT": -STORY_BOOST,
        }
    if not puzzled or story.ended_by is not None or story.money == "none":
        return {}
    if story.aging and not story.private_feedback:
        return {"W-AGE-OUT": STORY_BOOST, "F-PRIVATE-FB": -STORY_BOOST}
    return {"F-PRIVATE-FB": STORY_BOOST, "W-AGE-OUT": -STORY_BOOST}
