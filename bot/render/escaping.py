"""Per-output escaping of untrusted text (contract titles, client names, questions).

Jinja's autoescape is HTML's; our outputs are Discord markdown and a terminal, so each output gets
its own `finalize` that escapes every value a template prints, unless the value is `Trusted` (text
the product itself produced, such as another rendered fragment).
"""

from __future__ import annotations

import re
import unicodedata

MAX_USER_TEXT = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07?")
# Line breaks (incl. the Unicode ones str.splitlines() honours): a value printed by a template must stay on
# its line, or a title like "x\n## Fake" would become a field of the answer when the text is parsed.
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# Bidirectional embedding, override and isolate controls: one in a contract title would reorder the rest of
# the line, the product's own words included ("Trojan Source"). Right-to-left text needs none of them.
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
ZWSP = "\u200b"
# Text every step of `for_discord` leaves as it is: ASCII letters, digits and punctuation that is neither
# markdown (no _ * ~ | ` [ > # or backslash, no "-" or space first) nor a mention or a line break, 200
# characters at most. Most values an answer prints are such (amounts, days, names): they skip the regexes.
_PLAIN_FOR_DISCORD = re.compile(r"(?:[A-Za-z0-9$(][A-Za-z0-9 .,:;'\"!?%$&()/+=-]{0,199})?")


class Trusted(str):
    """Text produced by the product (already escaped for its output); printed as is."""


def _bounded(text: str, limit: int) -> str:
    text = _BIDI_CONTROLS.sub("", _LINE_BREAKS.sub(" ", unicodedata.normalize("NFC", text)))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def for_console(value: object) -> object:
    """Strip terminal control sequences so a contract title cannot repaint or clear the user's terminal."""
    if isinstance(value, Trusted) or not isinstance(value, str):
        return value
    return _CONTROL.sub("", _ANSI.sub("", _bounded(value, MAX_USER_TEXT)))


def for_discord(value: object) -> object:
    """Drop terminal escapes, escape markdown and neutralise mentions; sends also use AllowedMentions.none()."""
    if isinstance(value, Trusted) or not isinstance(value, str) or _PLAIN_FOR_DISCORD.fullmatch(value):
        return value
    import discord.utils  # here, not at the top: the console never loads discord.py (~0.14 s of its start-up)

    text = _CONTROL.sub("", _ANSI.sub("", _bounded(value, MAX_USER_TEXT)))
    text = discord.utils.escape_markdown(text)
    text = discord.utils.escape_mentions(text)
    return text.replace("<@", "<@" + ZWSP).replace("<#", "<#" + ZWSP)
