"""Sentences an answer already said: left out when a later paragraph would say them again.

Why: an answer's paragraphs come from different texts (an intent's lead written for the question, then the
statements of the next rules in the catalogue), and two texts often state the same fact in other words ("each 3
months with a payment adds weight, up to 8 jobs' worth" in the lead, "every 3 months of a contract with a payment
adds one more job's weight, up to 8 in total" in the rule after it). A reader on a phone sees the repeat as
padding. Which texts repeat which cannot be listed by hand for every pair a question can bring together, so a
later sentence is compared with each sentence already shown: when most of its content words are in one of them,
it says nothing new and is dropped (the rule stays cited among the sources).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .escaping import Trusted

REPEATED_SHARE = 0.6
"""A sentence whose content words are at least this share in one earlier sentence is a repeat. Measured on the
answers to 666 questions (the probe list and every evaluation batch): from 0.6 up, the pairs found restate one
fact (45 sentences); just under it (0.5-0.55) they add requirements or cases the earlier sentence lacks."""
MIN_SHARED = 5
"""And at least this many content words in common: a short sentence shares a few common words ("client", "14
days", "contract") with almost any earlier one without restating it ("The client has 14 days to answer")."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])")
_WORD = re.compile(r"[a-z0-9$%]+")
_FUNCTION_WORDS = frozenset(
    """a an the of to and or in on for is are be it its your you if with as at by from that this than then so not
    no can may one any after before once but their they them was were has have had do does did will would up out
    more most about into over under only also each who which what when how there here since until all just still
    even""".split()
)


def _content_words(sentence: str) -> frozenset[str]:
    """Lower-cased words that carry content, plural "s" dropped ("freelancers" says what "freelancer" does)."""
    words = (w for w in _WORD.findall(sentence.lower()) if len(w) > 1 and w not in _FUNCTION_WORDS)
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _figures(words: frozenset[str]) -> frozenset[str]:
    """The words of a sentence that are figures or dates ("2023", "$1", "90%", "december"): the facts a restatement
    must carry too."""
    return frozenset(w for w in words if w in _MONTHS or any(ch.isdigit() for ch in w))


def repeats(sentence: str, said: Iterable[str]) -> bool:
    """Whether `sentence` restates one sentence of the texts in `said` (see REPEATED_SHARE): most of its content
    words are in that sentence, and so are all its figures and dates. "Since December 2023 you need only 2 projects
    with 2 different clients within 24 months (it was 4 projects)" says when and what before, which "You get a JSS
    after 2 eligible jobs with 2 different clients within 24 months" does not: asked "when did they change it to 2?",
    the date is the answer."""
    words = _content_words(sentence)
    figures = _figures(words)
    needed = max(MIN_SHARED, REPEATED_SHARE * len(words))
    for text in said:
        for earlier in _sentences(str(text)):
            known = _content_words(earlier)
            if len(words & known) >= needed and figures <= known:
                return True
    return False


def unsaid(text: str, said: Iterable[str]) -> Trusted:
    """`text` (product-written: a catalogue statement) without the sentences that restate one in `said`; empty
    when every sentence does."""
    said = list(said)
    return Trusted(" ".join(s for s in _sentences(str(text)) if not repeats(s, said)))
