"""Spaces, line breaks and invisible characters.

Invisible characters are removed only where they are junk:

- the soft hyphen and a byte order mark inside the text never carry meaning
  in stored text;
- a zero-width space is kept between two letters of a script written without
  spaces (Thai, Lao, Khmer, Myanmar, Tibetan, Chinese, Japanese...), where it
  marks a word break; elsewhere it is removed;
- the zero-width joiner and non-joiner are kept wherever they can join
  something (emoji sequences such as 👩‍💻, Persian می‌خواهم, Indic
  conjuncts, a virama before a space: Malayalam chillus, a cursive letter
  shown in its initial or final form) and removed only next to whitespace or
  a line end, where there is nothing to join;
- left-to-right and right-to-left marks are always kept; embedding, override
  and isolate controls are kept when balanced on their line (a line is a
  paragraph for the bidi algorithm) and removed when unbalanced.
"""

from __future__ import annotations

import re

import regex

from textmend.step import Step, Trigger

_LINE_BREAK = re.compile("\r\n?|[\u2028\u2029\x85]")


def line_breaks(text: str) -> str:
    """Turn CRLF, CR, NEL and the Unicode line and paragraph separators into LF.

    >>> line_breaks("a\\r\\nb\\rc\\u2028d")
    'a\\nb\\nc\\nd'
    """
    return _LINE_BREAK.sub("\n", text)


_ALWAYS_JUNK = re.compile("[\u00ad\ufeff]")
_SPACELESS = (
    r"\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}\p{Han}\p{Hiragana}\p{Katakana}"
    r"\p{Javanese}\p{Balinese}\p{Tai_Tham}\p{New_Tai_Lue}"
)
_ZWSP = regex.compile(rf"(?<=[{_SPACELESS}])\u200b+(?=[{_SPACELESS}])|(\u200b+)")
# A joiner after a virama joins it, whatever follows: word-final Malayalam
# "ന്\u200d" is the chillu ൻ as older text spells it. A zero-width joiner
# beside a cursive letter shapes it even with a space on its other side:
# "ه\u200d" is the initial form of ه, "\u200dه" its final form.
_STRAY_JOINER = regex.compile(
    r"(?:^|(?<=\s))(?:\u200c|\u200d(?![\p{jt=D}\p{jt=R}]))+"
    r"|(?<!\p{ccc=9})(?:\u200c|(?<![\p{jt=D}\p{jt=L}])\u200d)+(?=\s|$)"
)


def invisibles(text: str) -> str:
    """Remove soft hyphens, stray BOMs, and zero-width characters that mean nothing.

    >>> invisibles("co\\u00adop\\u200beration \\u200d")
    'cooperation '
    >>> invisibles("\\U0001f469\\u200d\\U0001f4bb") == "\\U0001f469\\u200d\\U0001f4bb"
    True
    """
    text = _ALWAYS_JUNK.sub("", text)
    text = _ZWSP.sub(lambda m: "" if m.group(1) else "\u200b", text)
    text = _STRAY_JOINER.sub("", text)  # regex is untyped: returned, it would be Any
    return text


_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c"}
_OPENERS.update({"\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"})
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]|\n")


def bidi_controls(text: str) -> str:
    """Remove bidi embedding, override and isolate controls left unbalanced on a line.

    >>> bidi_controls("\\u202eevil\\n") == "evil\\n"
    True
    >>> bidi_controls("a \\u2067שלום\\u2069 b") == "a \\u2067שלום\\u2069 b"
    True
    """
    drop: set[int] = set()
    stack: list[tuple[int, str]] = []
    for match in _BIDI.finditer(text):
        char, pos = match.group(), match.start()
        if char == "\n":
            drop.update(p for p, _ in stack)
            stack.clear()
        elif char in _OPENERS:
            stack.append((pos, _OPENERS[char]))
        elif stack and stack[-1][1] == char:
            stack.pop()
        else:
            drop.add(pos)
    drop.update(p for p, _ in stack)
    if not drop:
        return text
    return "".join(c for i, c in enumerate(text) if i not in drop)


_SPACES = {code: " " for code in [0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F]}


def spaces(text: str) -> str:
    """Turn no-break, narrow, thin, en, em and other wide spaces into a plain space.

    >>> spaces("1\\u202f000\\u00a0€")
    '1 000 €'
    """
    return text.translate(_SPACES)


def ideographic_space(text: str) -> str:
    """Turn the ideographic (full-width) space into a plain space.

    >>> ideographic_space("東京\\u3000大阪")
    '東京 大阪'
    """
    return text.replace("\u3000", " ")


# Only from the start of a run: tried at each of its characters, a run of
# spaces that ends before a word was scanned to its end from each (quadratic).
_TRAILING = re.compile(r"(?<![ \t])[ \t]+(?=[\r\n]|\Z)")


def trailing_spaces(text: str) -> str:
    """Remove spaces and tabs at the end of each line.

    >>> trailing_spaces("a  \\r\\nb\\t\\n")
    'a\\r\\nb\\n'
    """
    return _TRAILING.sub("", text)


_RUN = re.compile(r"(?<=\S) {2,}(?=\S)")


def space_runs(text: str) -> str:
    """Collapse runs of spaces between words into one; indentation is kept.

    >>> space_runs("    a  b   c")
    '    a b c'
    """
    return _RUN.sub(" ", text)


LINE_BREAKS = Step("line_breaks", line_breaks, (Trigger("\r\u2028\u2029\x85"),))
# A joiner counts only at the edge of a word: inside one (emoji sequences,
# Persian, Indic scripts) it is the text's own.
_JOINER_AT_EDGE = Trigger("\u200c\u200d", r"(?<!\S.)|(?=[\u200c\u200d]*(?:\s|$))")
INVISIBLES = Step("invisibles", invisibles, (Trigger("\u00ad\ufeff\u200b"), _JOINER_AT_EDGE))
BIDI_CONTROLS = Step("bidi_controls", bidi_controls, (Trigger("\u202a-\u202e\u2066-\u2069"),))
SPACES = Step("spaces", spaces, (Trigger("\u00a0\u2000-\u200a\u202f\u205f"),))
IDEOGRAPHIC_SPACE = Step("ideographic_space", ideographic_space, (Trigger("\u3000"),))
# The check also runs on raw JSONL and CSV records, where a value's end is
# not the end of the text but a quote or a delimiter: those trigger too. Led
# by the first space or tab of a run only, as _TRAILING is.
TRAILING_SPACES = Step(
    "trailing_spaces",
    trailing_spaces,
    (Trigger(" \t", r"(?<=(?<![ \t])[ \t])[ \t]*(?:[\r\n\"',;|\t]|\Z)"),),
)
SPACE_RUNS = Step("space_runs", space_runs, (Trigger(" ", " "),))
