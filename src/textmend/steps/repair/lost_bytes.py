"""Bytes that Windows-1252 lost inside a longer sequence, put back by evidence.

Windows-1252 has no character for bytes 81 8D 8F 90 9D; a decoder drops
them, or writes a space. Where the lost byte sat inside a character read
twice (``—`` is ``Ã¢â‚¬â€`` and a lost 9D) or inside a symbol (``❤`` is
``â¤`` and a lost 9D), the repair is taken only if exactly one of the lost
bytes gives text: a run that decodes through every layer to a plausible
word, or an emoji where the other candidates are rare symbols.

>>> refill_symbols("I â¤ NY")
'I ❤ NY'
>>> refill_layers("icebergÃ¢â‚¬â€ the")
'iceberg—the'
"""

from __future__ import annotations

import re

import regex

from textmend.step import char_class
from textmend.steps.repair.plausibility import flaws
from textmend.steps.repair.sequences import HIGH_ANY_SET, decoded, reread

_CODEC = "sloppy-windows-1252"
# The bytes Windows-1252 lacks, as ftfy's sloppy codec reads them.
_LOST = [bytes([b]).decode(_CODEC) for b in b"\x81\x8d\x8f\x90\x9d"]
_HIGH = char_class(HIGH_ANY_SET)
_LEAD3 = char_class(decoded(_CODEC, 0xE0, 0xEF))
_CONT = char_class(decoded(_CODEC, 0x80, 0xBF))
_PICTOGRAPH = regex.compile(r"\p{Extended_Pictographic}")

# A three-byte lead with one continuation, standing alone: one byte is gone.
_SHORT_SYMBOL = re.compile(f"(?<![{_HIGH}\\w])[{_LEAD3}][{_CONT}](?![{_HIGH}\\w])")
# The start of a character read twice (Ã¢ is â, the lead of U+2000..U+2FFF
# read once) up to a hole of the lost byte, then maybe a space that stands
# for it, then the rest of the run.
_LAYERED = re.compile(f"Ã¢[{_HIGH}]*?â€(?=[^{_CONT}]|$)( ?)((?:(?!Ã¢)[{_HIGH}])*)")


def _symbol(match: re.Match[str]) -> str:
    lead, cont = match.group(0)[0], match.group(0)[1]
    found = {
        s
        for lost in _LOST
        for s in (reread(lead + lost + cont, _CODEC), reread(lead + cont + lost, _CODEC))
        if s is not None and _PICTOGRAPH.fullmatch(s)
    }
    return found.pop() if len(found) == 1 else match.group(0)


def refill_symbols(line: str) -> str:
    """Put back the byte a lone symbol lost, where only an emoji can be meant."""
    return _SHORT_SYMBOL.sub(_symbol, line)


def _peeled(run: str) -> str | None:
    """The run decoded through every layer, if it takes two or more."""
    layers = 0
    while (once := reread(run, _CODEC)) is not None and once != run:
        run, layers = once, layers + 1
    return run if layers >= 2 and not run.isascii() else None


def _layered(match: re.Match[str]) -> str:
    head = match.group(0)[: match.start(1) - match.start(0)]
    rest = match.group(2)
    found = {
        text
        for lost in _LOST
        if (text := _peeled(head + lost + rest)) is not None and not flaws(text)
    }
    # A space right after the hole stood for the lost byte: it goes too.
    return found.pop() if len(found) == 1 else match.group(0)


def refill_layers(line: str) -> str:
    """Put back the byte a character read twice lost, where one byte decodes."""
    return _LAYERED.sub(_layered, line) if "Ã¢" in line else line
