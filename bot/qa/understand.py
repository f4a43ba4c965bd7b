"""Question understanding: one call that turns a freelancer's question into what an answer needs.

`understand` combines the layers of this package:

* the classifier (bot.qa.classifier) decides: trained on whole example questions, it scores which rule
  a forum regular would cite first and which kind of answer (intent) the question wants;
* the story (bot.qa.story): who ended the contract, money, feedback, badge, direction; it feeds the
  classifier and, with the answer cues (bot.qa.cues: what the asker told that picks the answer's words, never
  its rule), picks the follow-up question (bot.qa.follow_up) when the answer hinges on a fact left out;
* retrieval (bot.qa.retrieval, BM25 over our paraphrases) and the intent's reviewed rule list fill
  and order the citations after the first, so uncommon questions still get relevant rules;
* extraction (bot.qa.extract) pulls out the numbers, dates and named contracts;
* myths (bot.qa.intents.detect_myths) put the rule correcting repeated folklore right after the first.

It never guesses: when the classifier's best class is "off topic", or it is unsure and retrieval is
weak too, `matched` is False and `rules` lists the closest rules only as pointers. Pure, synchronous
and offline; the first call builds the retrieval index and reads the shipped classifier model
(`warm_up` does both ahead of time), then a question takes a few milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict

from bot.qa.classifier import Prediction, get_classifier, rule_intents
from bot.qa.cues import BY_ITSELF_RE, HOW_LONG_COUNTS_RE, Cues, read_cues
from bot.qa.data import load_qa_data
from bot.qa.day_counts import SAME_QUESTION_COUNTS
from bot.qa.examples import NO_INTENT, OFF_TOPIC, model_texts
from bot.qa.extract import ContractMatch, Facts, extract_facts, match_contracts
from bot.qa.follow_up import follow_up
from bot.qa.intents import MYTH_INTENT, detect_myths
from bot.qa.normalize import MAX_QUESTION_CHARS, fold, tokens
from bot.qa.retrieval import Hit, get_index
from bot.qa.story import REVIEW_WORD_RE, Story, asking_part, asking_sentences, read_story, rule_adjustments

MAX_RULES = 6
"""Rules returned per question: enough for an answer's citations, few enough to stay on topic."""
INTENT_PRIOR = 0.25
"""Added (times the intent's score) to the intent's first rule; later rules get INTENT_PRIOR x
INTENT_DECAY**position. Smaller than a confident classifier score, so the classifier keeps the first
citation, but enough to bring the intent's reviewed companions into the next places."""
INTENT_DECAY = 0.8
RETRIEVAL_WEIGHT = 0.12
"""Weight of the BM25 score (normalised to the best hit) in the ranking: a tie-breaker and a source of
related rules the classifier scores near zero."""
MIN_CLASS_SCORE = 0.2
"""Classifier score of the best rule below which the question only counts as matched if retrieval is
strong too (MIN_RETRIEVAL_SCORE and MIN_KNOWN_SHARE)."""
CONFIDENT_INTENT = 0.6
"""Intent-classifier score at which a question counts as matched even when the rule scores are spread out:
with balanced classes (bot.qa.train) "will my score ever rebound?" is clearly a rise-again question while
its probability mass is shared among the rules that answer it; the intent's reviewed order then leads."""
MIN_INTENT_SCORE = 0.3
"""Intent-classifier score below which no intent is claimed (the lead sentence would be a guess)."""
RULE_INTENT_SCORE = 0.15
"""Intent score enough for an intent that the first rule's training questions carry (see _choose_intent)."""
MYTH_OWN_RULES = 3
"""A detected myth whose rule is among the intent's first rules is the answer itself and may lead."""
CONFIDENT_MYTH_RULE = 0.5
"""Classifier score at which a detected myth's rule, ranked first, keeps the first place although the myth is told
in the story, the intent's own rules do not include it and no intent is clear (see _ordered_rules)."""
MYTH_STEP_ASIDE = 0.15
"""Score at which another intent takes over from the myth check (see _choose_intent)."""
MIN_RETRIEVAL_SCORE = 2.5
"""Best BM25 score (bot.qa.retrieval units) for a question without an intent to count as matched."""
MIN_KNOWN_SHARE = 0.5
"""Share of a question's content words the index knows; below it the question is likely off-topic."""
ALSO_ASKED_SCORE = 0.7
"""Classifier score one asking sentence, read alone, must give a rule for that rule to answer it as a further
question of the post ("...what happens if I dispute? are we both required to leave a review?"). Read alone, a
sentence loses the story around it; on the 101 further asking sentences of the probe list and the eval batches
scoring 0.5 or more, those from 0.7 up were answered by their rule (a few side remarks aside), those under it
often not ("did he pause it himself?" -> the pause rule, but "is that allowed?" -> reporting a review)."""
ALSO_ASKED_AGREED = 0.5
"""A lower score suffices when the whole post's ranking cites the rule too (two readings agree): of the further
asking sentences scoring 0.5-0.7 whose rule the post also cites, 16 of 19 were answered by it ("how long should I wait
before ending it?" -> the 2-month rule); of those whose rule it does not cite, about half."""
_PLEA_RE = re.compile(
    r"^(?:can|could|will|would)?\s*(?:anyone|anybody|someone|somebody)\s+(?:please\s+)?(?:answer|help|advise)\b"
    r"(?:\s+(?:me|please|pls|this|here))*\s*[?!.]*$|^(?:any\s+)?(?:thoughts|advice|help|ideas|tips)\b(?:\s+please)?\s*[?!.]*$"
)
"""An asking sentence that asks for an answer, not about anything ("can anyone answer please?")."""
_EFFECT_WORDS = "hurt harm damage affect impact count matter happen jss score job success"
"""Words of a sentence that asks only what "it" does ("will that hurt my JSS?"): read alone, it names nothing, and
the rule the classifier gives it is a guess; the first rule already answers it for the post's story."""
MAX_ALSO_ASKED = 2
"""Further questions answered after the first: a long post asks several, the answer stays readable on a phone."""
MAX_CLOSEST = 3
"""Rules listed when nothing matched: a few pointers, not an answer."""
FALLBACK_RULES = ("F-FORMULA", "W-WINDOWS", "E-CURRENT")
"""Shown as the "closest rules" when nothing in the question overlaps the index at all."""
_HIT_POOL = 16
TIMELINE_DISCOUNT = 0.6
"""Timeline rules marked `history_only` in paraphrases.toml answer "when did it change?"; unless the
question asks about history, their retrieval score is multiplied by this, so that "when did no-feedback
contracts stop counting" ranks T-2020-11-NOFB first but "do no-feedback contracts count" ranks
X-NO-FEEDBACK first."""
_HISTORY_RE = re.compile(
    r"\b(?:when (?:did|was|were)|since when|history|historical|used to|introduc\w*|launch\w*|announc\w*|"
    r"(?:what|has|have|did|was|were)\b[^.?!]{0,20}\bchang\w*|recent(?:ly)?|new (?:rule|system|update|form|policy)|"
    r"old (?:rule|system|posts?|advice|form|info)|anymore|no longer|after the update)"
)


class RuleHit(BaseModel):
    """A retrieval result, kept on the result so callers can judge how close the closest rules are."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str
    score: float


class Understanding(BaseModel):
    """What a question asks and states. Immutable; `rules` are most relevant first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    question: str
    """The question as analysed (truncated to MAX_QUESTION_CHARS)."""
    intent: str | None
    """The recognised intent name, or None when no intent had enough evidence."""
    matched: bool
    """False when the question matched nothing well: `rules` are then only the closest ones."""
    confidence: float
    """0-1, how much to trust `intent`/`rules` (heuristic, for wording the answer, not a probability)."""
    rules: list[str]
    """Rule ids to cite, most relevant first, de-duplicated, at most MAX_RULES."""
    facts: Facts
    contract_matches: list[ContractMatch]
    myths: list[str]
    """Rule ids correcting folklore the question repeats (e.g. W-24MAX for "48 months")."""
    claim_checked: bool = False
    """The asking sentences ask whether a claim the post repeats is right ("only the client can end a contract,
    right?", "is that true?", "is this a good plan?") and the post repeats folklore (`myths`): the answer says No
    first."""
    hits: list[RuleHit]
    """Raw retrieval ranking (best first), for diagnostics and answer wording."""
    story: Story = Story()
    """What the asker told about their situation (who ended it, money, feedback, badge, direction)."""
    cues: Cues = Cues()
    """What the asker told or asked that picks the answer's words (time away, a refund's size, a silent client)."""
    follow_up_fact: str | None = None
    """The one missing fact the answer depends on most (one of bot.qa.follow_up.FOLLOW_UP_FACTS), or None; the
    `ask` template asks the short question about it."""
    also_asked: list[str] = []
    """Rules answering the post's further questions (asking sentences besides the one `rules[0]` answers), read
    one sentence at a time (see `_also_asked`); empty for a question that asks one thing."""


def _rank(raw: Sequence[Hit], folded: str) -> list[RuleHit]:
    """Retrieval hits with the timeline discount applied (see TIMELINE_DISCOUNT), best first."""
    texts = load_qa_data().rules
    historical = _HISTORY_RE.search(folded) is not None

    def weight(rule_id: str) -> float:
        text = texts.get(rule_id)
        return TIMELINE_DISCOUNT if text is not None and text.history_only and not historical else 1.0

    hits = [RuleHit(rule_id=h.rule_id, score=round(h.score * weight(h.rule_id), 3)) for h in raw]
    hits.sort(key=lambda h: -h.score)
    return hits


def _choose_intent(
    intents: Sequence[tuple[str, float]], myths: Sequence[str], first_rule: str
) -> tuple[str | None, float]:
    """The best intent with enough score; the myth intent only when a myth was actually detected, and a
    detected myth makes a question without another intent a myth check. When the intent model prefers
    "no intent" narrowly, an intent that training questions of the first rule carry may still win
    (RULE_INTENT_SCORE): the rule model has seen more examples of that rule than the intent model of it."""
    if intents and intents[0][0] == NO_INTENT:
        allowed = rule_intents().get(first_rule, frozenset())
        backed = next(((n, sc) for n, sc in intents if n in allowed and n != MYTH_INTENT), None)
        if backed is not None and backed[1] >= RULE_INTENT_SCORE:
            return backed
    for name, score in intents:
        if name == MYTH_INTENT:
            if not myths:
                continue
            # The myth is often a side remark ("I heard X... should I close it?"): answer the actual
            # question when another intent is nearly as likely; the myth is still cited early.
            other = next(((n, s) for n, s in intents if n not in (MYTH_INTENT, NO_INTENT)), None)
            if other is not None and other[1] >= MYTH_STEP_ASIDE:
                return other
        elif myths and name != NO_INTENT and MYTH_STEP_ASIDE <= score < MIN_INTENT_SCORE:
            # the same side-remark myth with the actual question's intent ranked above it: that intent answers, as
            # it would ranked just below the myth (not the myth check because neither reached MIN_INTENT_SCORE)
            return name, score
        if name == NO_INTENT or score < MIN_INTENT_SCORE:
            break
        return name, score
    return (MYTH_INTENT, 0.5) if myths else (None, 0.0)


def _ordered_rules(
    classes: dict[str, float],
    hits: Sequence[RuleHit],
    intent: str | None,
    intent_score: float,
    myths: Sequence[str],
    story: Story,
    asked: Sequence[str] = (),
    checked: bool = False,
) -> list[str]:
    """Classifier score + story + retrieval + the intent's reviewed order; myths right after the first rule.

    `asked`: the myths found in the question's asking sentences (`asking_part`), not only in its story. `checked`: the
    asking sentences ask whether what the post told is right (see `_CLAIM_CHECKED_RE`), so its myths come first."""
    combined = {rule: score for rule, score in classes.items() if rule != OFF_TOPIC}
    for rule, change in rule_adjustments(story).items():
        combined[rule] = combined.get(rule, 0.0) + change
    top = hits[0].score if hits else 0.0
    if top > 0:
        for hit in hits:
            combined[hit.rule_id] = combined.get(hit.rule_id, 0.0) + RETRIEVAL_WEIGHT * hit.score / top
    if intent is not None:
        spec = load_qa_data().intents.get(intent)
        for position, rule_id in enumerate(spec.rules if spec else ()):
            combined[rule_id] = combined.get(rule_id, 0.0) + INTENT_PRIOR * intent_score * INTENT_DECAY**position
    ordered = sorted(combined, key=lambda r: -combined[r])
    if intent == MYTH_INTENT or (checked and myths):
        return [*myths, *(r for r in ordered if r not in myths)]
    spec = load_qa_data().intents.get(intent or "")
    own = set(spec.rules[:MYTH_OWN_RULES]) if spec else set(ordered[:1])
    # A side-remark myth never takes the first place ("I heard X... should I close it?"), but a myth told in
    # the question itself that ranks first on its own keeps it ("5 stars, yet it dropped... does a contract
    # closed with no review count as bad?").
    # The same holds for a myth whose rule the classifier is sure of on its own (CONFIDENT_MYTH_RULE) while no intent
    # is clear (under MIN_INTENT_SCORE): "I was told closing it myself counts against me ... that leaves a contract
    # with no feedback, is it true? ... do short projects count?" is answered by the no-feedback rule. With a clear
    # intent ("I read X ... anyway, do I end it myself?") the myth stays a side remark.
    side = [
        m
        for m in myths
        if m not in own
        and not (
            m in ordered[:1]
            and (m in asked or (classes.get(m, 0.0) >= CONFIDENT_MYTH_RULE and intent_score < MIN_INTENT_SCORE))
        )
    ]
    rest = [r for r in ordered if r not in side]
    return [*rest[:1], *side, *rest[1:]]


_CLAIM_CHECKED_RE = re.compile(
    r"\b(?:is|are|was|were)\s+(?:this|that|it|these|those)\s+(?:\w+\s+)?(?:true|correct|right|accurate|legit|real|valid|a\s+myth"
    r"|(?:a\s+)?(?:good|correct|right|smart|wise|sound)\s+(?:idea|plan|strategy|approach|thinking|way|move))\b"
    r"|\bam\s+i\s+(?:right|correct|wrong|mistaken)\b|\bdoes\s+(?:this|that)\s+(?:plan|strategy)\s+(?:work|make\s+sense)\b"
    # round 22: a tag question on the claim itself ("only the client can end a contract, right?", "... Correct?")
    r"|(?:^|[,.;:!]\s*|\s)(?:right|correct|true|yes|no)\s*\?"
)
"""An asking sentence that asks whether what the post told is right ("I think a JSS only appears after $1,000 earned, so
I'll work cheap until then. Is this correct strategy?", "am I right?"): the claim told, not the plan around it, is
the question, so a myth it holds is corrected first."""


ASKING_WEIGHT = 0.0
"""Weight of a second prediction over the asking sentences alone, mixed into the whole question's (rounds 3-5:
0.3). Since round 6 the asking sentences are features of the one prediction instead ("zzq" tokens, see
bot.qa.examples.model_texts): the model learns which words weigh more when they are in the question than in the
story, and the mixing no longer helps (grouped CV 80.5 % at 0 and 0.15, 79.6 % at 0.3; batches 4-10 278 / 277 / 274
of 305; with the round's final data 81.2 % at 0 against 80.5 % at 0.3). Kept as a switch for bot.qa.crossval
(method shipped_asking_mix_0.3); 0 skips the second prediction."""


def _predict(folded: str, story: Story) -> Prediction:
    """The classifier's scores of the question (its asking sentences are features of their own, see above);
    with ASKING_WEIGHT > 0, mixed with those of the asking sentences scored alone, without story tokens."""
    classifier = get_classifier()
    whole = classifier.predict(*model_texts(folded, story))
    asking = asking_part(folded)
    if ASKING_WEIGHT <= 0 or len(asking) >= 0.9 * len(folded):
        return whole
    part = classifier.predict(*model_texts(asking, Story()))
    return Prediction(rules=_mix(whole.rules, part.rules), intents=_mix(whole.intents, part.intents))


def _mix(whole: Sequence[tuple[str, float]], part: Sequence[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    """(1 - ASKING_WEIGHT) x whole + ASKING_WEIGHT x part, best first."""
    scores = {name: (1 - ASKING_WEIGHT) * score for name, score in whole}
    for name, score in part:
        scores[name] = scores.get(name, 0.0) + ASKING_WEIGHT * score
    return tuple(sorted(scores.items(), key=lambda item: -item[1]))


_REVIEW_REMOVAL_RE = re.compile(
    r"\b(?:(?:get|have|be|being|been|gets|got)\s+(?:it\s+|them\s+|this\s+|that\s+)?(?:removed|deleted|erased|taken\s+(?:down|off))"
    r"|(?:remove|delete|erase)\s+(?:it|them|this|that|the\s+(?:review|feedback|rating|comment)s?|his|her|their)\b"
    r"|take\s+(?:it|them|this|that)\s+(?:down|off)|come\s+off|get\s+rid\s+of\s+(?:it|them|this|that|the))"
)
"""A further asking sentence asking for a review to go ("can I get it removed?", "will his review come off since I
was proven right?", "can they take it down?"): read alone it names no rule, so the classifier guesses; in a post that
tells a poor review, when Upwork takes one down (FB-REPORT) answers it."""
_NOT_A_REVIEW_RE = re.compile(
    r"\b(?:badge|account|private|perk|button|option|feature|talent|contract|hold|restriction|profile\s+(?:is|was))\b"
)
"""Things a removal asked about can be besides a review ("will they remove my badge?", "did they remove the private
rating?"): the review rule does not answer those."""
REMOVAL_ANSWERED = frozenset({"FB-REPORT", "X-REMOVAL-PERK", "T-2024-09-REMOVAL", "FB-RESPOND", "FB-EDIT"})
"""Rules whose answer already says whether and how a review can go: a removal asked beside them needs no other."""
_OTHER_REMOVALS = frozenset({"FB-HOLD", "FB-TOS-NOTICE", "T-FORM-CHANGE", "F-PRIVATE-FB"})
"""First rules about something else that goes away (a proposal hold, the private rating): "what can I do to remove
it?" asks about that."""
_HOLD_RE = re.compile(r"\bhold\b")
"""A hold told in the post: "it" in "how do I remove it?" may be the hold, not the review."""
_FROM_SCORE_RE = re.compile(r"\bfrom\s+(?:my\s+|the\s+)?(?:jss|score|job\s+success)|\bstill\s+count|\bcount\w*\s+or\b")
"""A removal asked about the score, not the review's text: "will his feedback be removed from my JSS?", "will it be
removed automatically, or do I need a ticket?" (what leaves the score by itself is the first rule's answer)."""


def _review_removal_asked(folded: str, sentences: Sequence[str], story: Story, rules: Sequence[str]) -> bool:
    """Whether a further asking sentence asks for the post's poor review to go (`_REVIEW_REMOVAL_RE`): the review
    named in the sentence, or one the story tells (a pronoun's referent), and no rule ranked first or second that
    already answers it."""
    if REMOVAL_ANSWERED & set(rules[:2]) or rules[0] in _OTHER_REMOVALS:
        return False
    poor_review = story.feedback in ("negative", "mixed") or story.client_rates_badly
    for sentence in sentences:
        if _REVIEW_REMOVAL_RE.search(sentence) is None or _NOT_A_REVIEW_RE.search(sentence) is not None:
            continue
        if _FROM_SCORE_RE.search(sentence) is not None or BY_ITSELF_RE.search(sentence) is not None:
            continue  # "will his feedback be removed from my JSS?": whether it counts, which the first rule answers
        if REVIEW_WORD_RE.search(sentence) is not None or (poor_review and _HOLD_RE.search(folded) is None):
            return True
    return False


_DATE_WORD_RE = re.compile(
    r"\d+(?:st|nd|rd|th)?|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*"
)
"""A word of a date, as `tokens` gives it ("december", "jun", "28th")."""


def _also_asked(folded: str, rules: Sequence[str], as_of: date, story: Story) -> list[str]:
    """The rule each further asking sentence of a post asks about, read alone with its own story: a long post often
    asks two or three things ("Can he still leave feedback? And will it touch my score?") and `rules[0]` answers
    one of them. Only rules the classifier is sure of for the sentence (ALSO_ASKED_SCORE, or ALSO_ASKED_AGREED for a
    rule the post's ranking `rules` cites as well), other than the first."""
    sentences = asking_sentences(folded)
    removal = rules[0] != "FB-REPORT" and _review_removal_asked(folded, sentences, story, rules)
    if len(sentences) < 2:
        return ["FB-REPORT"] if removal else []
    effect_words = set(tokens(_EFFECT_WORDS))
    poor_review = story.feedback in ("negative", "mixed")
    out: list[str] = []
    for sentence in sentences:
        words = set(tokens(sentence, folded=True))
        if _PLEA_RE.search(sentence) is not None or not words - effect_words:
            continue
        if all(map(_DATE_WORD_RE.fullmatch, words)):
            continue  # "December 2027?" alone asks nothing of its own: it dates the sentence before
        if poor_review and HOW_LONG_COUNTS_RE.search(sentence) is not None:
            continue  # "how long do I carry it?": the review's own age-out days answer it (Cues.carry_asked)
        story = read_story(sentence, extract_facts(sentence, as_of))
        best, score = next(((r, s) for r, s in _predict(sentence, story).rules if r != OFF_TOPIC), ("", 0.0))
        needed = ALSO_ASKED_AGREED if best in rules else ALSO_ASKED_SCORE
        # with a day count first, a further "is there a deadline?" asks for that count, not another rule's
        another_count = best in SAME_QUESTION_COUNTS and rules[0] in SAME_QUESTION_COUNTS
        if score >= needed and best != rules[0] and best not in out and not another_count:
            out.append(best)
    if removal and "FB-REPORT" not in out:
        out.insert(0, "FB-REPORT")
    return out[:MAX_ALSO_ASKED]


def warm_up() -> None:
    """Build the retrieval index and load the classifier now (a front end calls it off its event loop)."""
    get_index()
    get_classifier()


def understand(question: str, as_of: date, ledger_items: Sequence[tuple[str, str, str]] = ()) -> Understanding:
    """Analyse one question asked on `as_of` by a freelancer whose ledger holds `ledger_items`.

    `ledger_items` are (contract_id, title, client) triples used to spot contracts the question names.
    """
    text = question[:MAX_QUESTION_CHARS]
    folded = fold(text)
    index = get_index()
    query, unknown = index.query_tokens(folded, folded=True)
    hits = _rank(index.search_tokens(query, _HIT_POOL), folded)
    top_score = hits[0].score if hits else 0.0
    known_share = len(query) / (len(query) + unknown) if query else 0.0
    facts = extract_facts(text, as_of)
    story = read_story(folded, facts)
    cues = read_cues(folded, facts)
    myths = detect_myths(folded)

    prediction = _predict(folded, story)
    classes = dict(prediction.rules)
    best_label, best_score = prediction.rules[0]
    retrieval_ok = top_score >= MIN_RETRIEVAL_SCORE and known_share >= MIN_KNOWN_SHARE
    top_intent, top_intent_score = prediction.intents[0] if prediction.intents else (NO_INTENT, 0.0)
    intent_ok = top_intent != NO_INTENT and top_intent_score >= CONFIDENT_INTENT
    matched = bool(query) and best_label != OFF_TOPIC and (best_score >= MIN_CLASS_SCORE or retrieval_ok or intent_ok)
    matched = matched or bool(myths)
    first = next((rule for rule, _ in prediction.rules if rule != OFF_TOPIC), "")
    intent, intent_score = _choose_intent(prediction.intents, myths, first) if matched else (None, 0.0)
    checked = False
    if matched:
        asking = asking_part(folded)
        asked = detect_myths(asking) if myths else []
        checked = bool(myths) and _CLAIM_CHECKED_RE.search(asking) is not None
        rules = _ordered_rules(classes, hits, intent, intent_score, myths, story, asked, checked)
        confidence = min(0.95, max(0.05, 0.6 * best_score + 0.4 * intent_score if intent else best_score))
    else:
        rules = [h.rule_id for h in hits][:MAX_CLOSEST] or list(FALLBACK_RULES)
        confidence = min(0.25, best_score if best_label != OFF_TOPIC else 0.1) * (known_share or 0.5)
    # a follow-up belongs to its intent's answer: when the first rule is not one of that intent's ("2 jobs, still no
    # JSS" read as a drop but answered by the eligibility minimum), no intent's follow-up is asked
    leading = intent if intent in rule_intents().get(rules[0], frozenset()) else None
    fact = follow_up(leading, rules[0], story, cues, facts) if matched else None
    return Understanding(
        question=text,
        intent=intent,
        matched=matched,
        confidence=round(confidence, 3),
        rules=rules[:MAX_RULES],
        facts=facts,
        contract_matches=match_contracts(text, ledger_items) if ledger_items else [],
        myths=myths,
        claim_checked=checked,
        hits=hits[:MAX_RULES],
        story=story,
        cues=cues,
        follow_up_fact=fact,
        also_asked=_also_asked(folded, rules[:MAX_RULES], as_of, story) if matched else [],
    )
