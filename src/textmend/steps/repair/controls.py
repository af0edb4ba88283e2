"""Terminal escapes, control characters and lone surrogates."""

from __future__ import annotations

from ftfy import fixes

from textmend.step import Step, Trigger


def terminal_escapes(text: str) -> str:
    """Remove ANSI terminal escapes such as colour codes.

    >>> terminal_escapes("\\x1b[31mred\\x1b[0m")
    'red'
    """
    return fixes.remove_terminal_escapes(text)


def control_chars(text: str) -> str:
    """Remove control characters that have no visible effect.

    Tab, line feed, form feed and carriage return stay; so do the C1
    controls, which the ``c1_controls`` step reads as Windows-1252.

    >>> control_chars("a\\x00b\\x07c")
    'abc'
    """
    return fixes.remove_control_chars(text)


def surrogates(text: str) -> str:
    """Join UTF-16 surrogate pairs into the character they encode.

    >>> surrogates("\\ud83d\\ude00")
    '😀'
    """
    return fixes.fix_surrogates(text)


def c1_controls(text: str) -> str:
    """Read C1 control characters as the Windows-1252 characters they were.

    >>> c1_controls("\\x93quoted\\x94")
    '“quoted”'
    """
    return fixes.fix_c1_controls(text)


TERMINAL_ESCAPES = Step("terminal_escapes", terminal_escapes, (Trigger("\x1b", r"\["),))
CONTROL_CHARS = Step(
    "control_chars",
    control_chars,
    (Trigger("\x00-\x08\x0b\x0e-\x1f\x7f\u206a-\u206f\ufeff\ufff9-\ufffc"),),
)
SURROGATES = Step("surrogates", surrogates, (Trigger("\ud800-\udfff"),))
C1_CONTROLS = Step("c1_controls", c1_controls, (Trigger("\x80-\x9f"),))
