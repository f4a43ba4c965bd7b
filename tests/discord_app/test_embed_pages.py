"""Answer -> embeds by design: long text is split between words and outside links, never cut; long lists go
10 to a page; every source is listed; whatever is given comes out, in order, within Discord's limits."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.discord_app.embeds import (
    FIELD_VALUE_LIMIT,
    FIELDS_LIMIT,
    LIST_PAGE,
    TITLE_LIMIT,
    TOTAL_LIMIT,
    layout,
    page_embeds,
    split_text,
)
from bot.render import Answer, Field, OutputFormat, render_answer

LINK = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)")


def _links(text: str) -> list[str]:
    return LINK.findall(text)


def _words(text: str) -> list[str]:
    return text.split()


def test_a_long_value_is_split_between_sentences_and_never_inside_a_link() -> None:
    link = "[Long-term clients help](https://support.upwork.com/hc/en-us/articles/38439816969875)"
    sentence = f"Long-term clients help: see {link}. "
    text = sentence * 30  # ~3,600 characters, a link in every sentence
    pieces = split_text(text, FIELD_VALUE_LIMIT)
    assert len(pieces) >= 4 and all(len(p) <= FIELD_VALUE_LIMIT for p in pieces)
    assert all(p.endswith(".") for p in pieces)  # each ends a sentence
    assert sum(len(_links(p)) for p in pieces) == 30 and _words(" ".join(pieces)) == _words(text)


def test_an_unbreakable_run_is_still_kept_whole_in_order() -> None:
    text = "x" * 2500 + " tail"
    pieces = split_text(text, FIELD_VALUE_LIMIT)
    assert all(len(p) <= FIELD_VALUE_LIMIT for p in pieces) and "".join(pieces).replace(" ", "") == text.replace(
        " ", ""
    )


def _answer(fields: list[Field], title: str = "Your contracts (30)", citations: int = 0) -> Answer:
    sources = None
    if citations:
        rules = [
            "W-AGE-OUT",
            "W-24MAX",
            "W-WINDOWS",
            "W-TRENDING",
            "F-FORMULA",
            "E-CURRENT",
            "WT-LONG-TERM",
            "WT-EARNINGS-TIERS",
            "C-OPEN-INACTIVE-JSS",
            "X-NO-FEEDBACK",
            "C-FL-CAN-END",
            "FB-WHO-ENDS",
        ][:citations]
        sources = render_answer(
            "notice", {"key": "added", "detail": None, "rules": rules}, OutputFormat.DISCORD
        ).sources
    return Answer("contracts", title, "Lead line.", tuple(fields), "Estimate.", sources=sources)


def test_a_list_of_30_items_is_30_items_on_3_pages_of_10() -> None:
    items = "\n".join(f"**c{i:02d}**: contract number {i}" for i in range(30))
    pages = layout(_answer([Field("Contracts (30)", items)]))
    shown = [line for page in pages for f in page.fields for line in f.value.splitlines()]
    assert len(pages) == 3 and shown == items.splitlines()
    assert all(len(f.value.splitlines()) <= LIST_PAGE for page in pages for f in page.fields)
    assert all(page.fields[0].name == "Contracts (30)" for page in pages)  # the count stays with its list
    assert [e.footer.text for e in page_embeds(_answer([Field("Contracts (30)", items)]))] == [
        "1/3 · Estimate.",
        "2/3 · Estimate.",
        "3/3 · Estimate.",
    ]


def test_every_source_is_listed_last_and_a_short_answer_stays_one_page() -> None:
    pages = layout(_answer([Field("Windows", "6m: 94%")], citations=12))
    assert len(pages) == 1
    sources = "\n".join(f.value for f in pages[0].fields[1:])
    assert len(_links(sources)) == 12 and pages[0].fields[-1].value.endswith("`FB-WHO-ENDS`")


def test_a_title_over_the_limit_is_shortened_at_a_word_and_said_in_full() -> None:
    title = "Close it now: " + "A very long contract title " * 12
    [page] = layout(_answer([], title=title))
    assert len(page.title) <= TITLE_LIMIT and page.title.endswith("…") and not page.title[:-1].endswith(" ")
    assert page.description.startswith(title.strip())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=100).filter(str.strip),
            st.lists(st.text(min_size=1, max_size=400).filter(str.strip), min_size=1, max_size=40),
        ),
        max_size=40,
    )
)
def test_any_answer_fits_every_limit_and_loses_no_word(fields: list[tuple[str, list[str]]]) -> None:
    answer = _answer([Field(name, "\n".join(lines)) for name, lines in fields])
    for embed in page_embeds(answer):
        assert len(embed) <= TOTAL_LIMIT and len(embed.fields) <= FIELDS_LIMIT
        assert all(len(f.value or "") <= FIELD_VALUE_LIMIT and len(f.name or "") <= 256 for f in embed.fields)
    given_words = [w for f in answer.fields for w in _words(f.value)]
    assert [w for page in layout(answer) for c in page.fields for w in _words(c.value)] == given_words
