"""Evidence for ambiguous repairs: does a word read as text, or as mojibake?

A short mis-decoded word (``zÅ‚``, ``×›×™``, ``РІ``) is too weak for ftfy's
badness measure, and a rule per pattern would misfire on clean words that
look alike (``SELKÄ``, ``JOSÉ’S``). Instead each word holding a complete
UTF-8 sequence is decoded and the two readings are compared:

- a word's *flaws* are what text in any language hardly shows: a symbol or
  a stray punctuation mark inside a word, a capital after a small letter,
  letters of two scripts side by side, a control character;
- the *letters* of a document (those of its words that hold no sequence,
  and those its confident repairs made) say which language it is in.

A repair is taken when the decoded word has no flaw and writes only in the
document's scripts, and the damaged word has flaws; or, where the document
itself names the encoding (a confident repair through it elsewhere), when
the damaged word uses letters foreign to the document and the decoded one
only letters of it. A word without flaws in the document's letters is never
touched. The model needs no data: it costs nothing at import, and nothing
on lines where no sequence was found.

>>> flaws("zÅ‚"), flaws("zł"), flaws("JOSÉ’S")
(1, 0, 0)
>>> mend_words("Cena 5 zÅ‚ za sztukę", (), frozenset())
('Cena 5 zł za sztukę', ['sloppy-windows-1252'])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ftfy.chardata import CHARMAP_ENCODINGS

from textmend.steps.repair.sequences import reread, utf8_sequences

# Punctuation at home between two letters or digits: apostrophes, hyphens,
# dashes, dots, quotes (Korean and Japanese attach particles to them),
# separators of numbers, paths and addresses.
_INNER = "'’-‐‑–—·./,:&_@#%+=~*“”«»"
# A token: what lies between ASCII spaces (a no-break space, which mojibake
# is full of, is part of it).
_TOKEN = re.compile(r"[^ \t\n\r\f\v]+")
# What separates words inside a token: spaces, and the punctuation of
# Chinese and Japanese, written without spaces.
_WORDS = re.compile(r"[\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+")
# Alphabets whose letters never meet inside a word; other scripts do
# (Japanese kana and kanji, a Korean particle after a Latin unit: "mm가").
_ALPHABETS = frozenset(("LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "HEBREW", "ARABIC"))


@lru_cache(maxsize=1024)
def _script(char: str) -> str:
    return unicodedata.name(char, "?").split()[0]


# Punctuation of Latin-1 and Windows-1252 that text puts at a word's edges;
# the rest of it (§ ¶ · † ‡ • ‰) stands there only in mojibake.
_EDGE_MARKS = "“”‘’«»‹›„‚…–—¡¿"


def _edge(char: str) -> bool:
    """Punctuation text puts at a word's edges: never a flaw there."""
    if char.isascii():
        return not char.isalnum()
    code = ord(char)
    if char in _EDGE_MARKS or code < 0x370 or 0x2000 <= code <= 0x206F:
        return char in _EDGE_MARKS
    return unicodedata.category(char)[0] == "P"


def _case_flaws(before: str, char: str, last: str) -> int:
    """Flaws of a letter right after the letter ``before`` (and ``last``)."""
    count = int(before.islower() and char.isupper())  # a capital after a small letter
    # Two capitals, the first beyond ASCII, then a small letter: "ÅŸirket".
    return count + (char.islower() and before.isupper() and last.isupper() and not last.isascii())


def _script_flaw(before: str, char: str) -> bool:
    scripts = {_script(before), _script(char)}
    return len(scripts) == 2 and scripts <= _ALPHABETS


def _flaws_of(word: str) -> int:
    first, last = 0, len(word)
    while first < last and _edge(word[first]):
        first += 1
    while last > first and _edge(word[last - 1]):
        last -= 1
    body = word[first:last]
    count = 0
    # The letters before this one: right before it (for case), and the last
    # of the word, across an apostrophe or a hyphen (for its script).
    before = earlier = letter = ""
    for i, char in enumerate(body):
        kind = unicodedata.category(char)
        if kind[0] == "L":
            count += _case_flaws(before, char, earlier) if before else 0
            count += _script_flaw(letter, char) if letter else 0
            before, earlier, letter = char, before, char
            continue
        if kind[0] == "M":
            count += not letter  # a combining mark with no letter to carry it
            continue
        if kind[0] in "NZ":
            continue
        if kind[0] == "P":
            flanked = 0 < i < len(body) - 1 and body[i - 1].isalnum() and body[i + 1].isalnum()
            before = earlier = ""
            if char in _INNER and flanked:
                continue  # one word still: its script goes on across it
            count += 1
        elif kind in ("Cc", "Co", "Cn", "Cs"):
            count += 1
        elif kind[0] == "S":
            # A symbol before a word or number (√π, €5, #tag), a mark after
            # a name (Brand™), a unit beside a number (25°C) are text.
            near = body[max(i - 1, 0) : i + 2]
            marks = i == len(body) - 1 and char in "™®©"
            count += not (i == 0 or marks or any(c.isdigit() for c in near))
        before = earlier = letter = ""
    return count


@lru_cache(maxsize=4096)
def flaws(word: str) -> int:
    """How many signs of mis-decoding the word shows (0 for plausible text).

    >>> flaws("РґСѓРјР°"), flaws("думал"), flaws("25°C"), flaws("×›×™")
    (4, 0, 0, 2)
    """
    return sum(_flaws_of(part) for part in _WORDS.split(word))


def _folded(char: str) -> str:
    """The character in lower case, where that is one character ("İ" is two)."""
    lower = char.lower()
    return lower if len(lower) == 1 else char


def letters_of(text: str) -> frozenset[str]:
    """The characters beyond ASCII (letters in lower case) of ``text`` outside
    its mis-decoded sequences: what its language writes with.

    >>> sorted(letters_of("Я думал РІ «в»"))
    ['«', '»', 'а', 'в', 'д', 'л', 'м', 'у', 'я']
    """
    return frozenset(_folded(c) for c in _any_sequence().sub("", text) if not c.isascii())


def _writing(char: str) -> bool:
    """A letter, or a mark that belongs to a letter (of a script)."""
    return unicodedata.category(char)[0] in "LM"


def _scripts(chars: Iterable[str]) -> set[str]:
    # A combining mark of no script of its own goes with any.
    return {_script(c) for c in chars if _writing(c)} - {"COMBINING"}


@lru_cache(maxsize=16)
def _sequence(encoding: str) -> re.Pattern[str]:
    """One complete UTF-8 sequence as it looks when read as ``encoding``."""
    return re.compile("|".join(t.pattern for t in utf8_sequences([encoding])))


@lru_cache(maxsize=16)
def sequence_runs(encoding: str) -> re.Pattern[str]:
    """Runs of complete UTF-8 sequences as they look when read as ``encoding``."""
    return re.compile(f"(?:{_sequence(encoding).pattern})+")


def _sequences(token: str) -> set[str]:
    """The sequences of any of ftfy's encodings in the token."""
    return {s for e in CHARMAP_ENCODINGS for s in _sequence(e).findall(token)}


@lru_cache(maxsize=1)
def _any_sequence() -> re.Pattern[str]:
    """A sequence of any of ftfy's encodings, leads and continuations merged:
    a superset, one pattern to compile where one per encoding costs ten.
    Compiled when a line first needs it, not when textmend is imported."""
    return re.compile("|".join(t.pattern for t in utf8_sequences(CHARMAP_ENCODINGS)))


def sequences_in(text: str) -> set[str]:
    """The mis-decoded sequences of any encoding that ``text`` holds.

    >>> sorted(sequences_in("zÅ‚ and Ã©"))
    ['Ã©', 'Å‚']
    """
    return set(_any_sequence().findall(text))


def _decoded(token: str, encoding: str) -> str:
    def run(match: re.Match[str]) -> str:
        decoded = reread(match.group(0), encoding)
        if decoded is None or letters_lost(match.group(0), decoded):
            return match.group(0)
        return decoded

    return sequence_runs(encoding).sub(run, token)


def letters_lost(run: str, decoded: str) -> bool:
    """Whether a run of letters decodes to no letter: a word read as a symbol.

    >>> letters_lost("ЛІ", "˲"), letters_lost("â€”", "—")
    (True, False)
    """
    return run.isalpha() and not any(c.isalpha() for c in decoded)


def _glued(char: str) -> bool:
    return char.isalpha() and not char.isascii()


class _Language:
    """What a line and its document show of their language."""

    def __init__(self, line: str, document: frozenset[str]) -> None:
        self.known = document | letters_of(line)
        self.scripts = _scripts(self.known) | _scripts(c for c in line if c.isascii())

    def writes(self, letters: set[str]) -> bool:
        """Whether the language writes with these letters: each one seen, or,
        for scripts of many letters (Han, Hangul, kana), one of its script."""
        unseen = letters - self.known
        scripts = _scripts(unseen)
        return not unseen or (scripts <= self.scripts and not scripts & _ALPHABETS)

    def foreign(self, token: str, encoding: str, named: bool) -> bool:
        """Whether the token's sequences of ``encoding`` stand as words of
        their own (``РІ``; not ``Рёбра``, a word with letters of its own
        after them) with what the language does not write with: letters,
        or, where the document named the encoding, any character (``Р’``).
        """
        odd = False
        for match in sequence_runs(encoding).finditer(token):
            start, end = match.span()
            if _glued(token[start - 1 : start]) or _glued(token[end : end + 1]):
                return False
            odd = odd or any(
                _folded(c) not in self.known and (named or c.isalpha()) for c in match.group(0)
            )
        return odd

    def mend(self, token: str, named: Sequence[str], second: bool) -> tuple[str, str] | None:
        """The token decoded through the encoding that makes it plausible, if any.

        On the first pass only a flawed token is decoded; on the ``second``
        only one foreign to the language, which a flawless reading in its
        letters replaces.
        """
        damaged = flaws(token) > 0
        if damaged == second:
            return None
        for encoding in (*named, *CHARMAP_ENCODINGS):
            fixed = _decoded(token, encoding)
            if fixed == token or flaws(fixed):
                continue
            made = {_folded(c) for c in fixed if _writing(c)} - {_folded(c) for c in token}
            if not made and any(c.isalpha() for c in token) and not any(c.isalnum() for c in fixed):
                continue  # letters that decode to no letter at all (a lone no-break space)
            if damaged and (self.writes(made) or _scripts(made) <= self.scripts):
                return fixed, encoding
            foreign = second and made and self.writes(made)
            if foreign and self.foreign(token, encoding, encoding in named):
                return fixed, encoding
        return None


def named_by(text: str) -> tuple[str, ...]:
    """The encodings through which the flawed words of ``text`` decode plausibly.

    >>> named_by("он РґСѓРјР°Р» РІ")
    ('sloppy-windows-1251',)
    """
    language = _Language(text, frozenset())
    found = (language.mend(t, (), False) for t in _TOKEN.findall(text))
    return tuple(dict.fromkeys(f[1] for f in found if f))


def mend_words(line: str, named: Sequence[str], document: frozenset[str]) -> tuple[str, list[str]]:
    """Decode the words of a line that are plausible only decoded; say through what.

    ``named`` are encodings the line or its document was confidently
    repaired through; ``document`` the letters of the document's other lines.
    Flawed words are decoded first: the encodings they go through are named
    for the words that are only foreign.
    """
    language = _Language(line, document)
    used: list[str] = []
    for second in (False, True):
        mended = []
        kept: set[str] = set()
        for match in _TOKEN.finditer(line):
            if _any_sequence().search(match.group(0)) is None:
                continue
            sequences = _sequences(match.group(0))
            found = language.mend(match.group(0), (*used, *named), second)
            if found:
                mended.append((match, found, sequences))
            else:
                kept |= sequences
        out: list[str] = []
        pos = 0
        for match, (fixed, encoding), sequences in mended:
            # A sequence the line keeps in a word no reading makes plausible
            # is how this text writes (leetspeak's "Ä£"), not damage.
            if not sequences & kept:
                out += (line[pos : match.start()], fixed)
                used.append(encoding)
                pos = match.end()
        out.append(line[pos:])
        line = "".join(out)
    return line, used
