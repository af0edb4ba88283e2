"""The library functions: fix, fix_bytes, explain."""

from __future__ import annotations

from textmend.decoding import check_bytes, decode
from textmend.explanation import Change
from textmend.pipeline import compile_profile
from textmend.profiles import DEFAULT_PROFILE, Profile, get_profile


def _checked(text: object, caller: str) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError(f"{caller}() takes str; use textmend.fix_bytes() for bytes")
    raise TypeError(f"{caller}() takes str, not {type(text).__name__}")


def fix(text: str, profile: Profile | str = DEFAULT_PROFILE) -> str:
    """Repair damaged text; correct text comes back unchanged.

    >>> fix("The Mona Lisa doesnâ€™t have eyebrows.")
    'The Mona Lisa doesn’t have eyebrows.'
    >>> fix("“Curly” quotes stay curly.")
    '“Curly” quotes stay curly.'
    """
    return compile_profile(get_profile(profile)).fix(_checked(text, "fix"))


def explain(text: str, profile: Profile | str = DEFAULT_PROFILE) -> list[Change]:
    """List what ``fix`` would change, step by step, as spans of the input.

    >>> explain("caf&eacute;")
    [Change(step='html_entities', start=3, end=11, before='&eacute;', after='é')]
    """
    return compile_profile(get_profile(profile)).explain(_checked(text, "explain"))


def fix_bytes(
    data: bytes, profile: Profile | str = DEFAULT_PROFILE, encoding: str | None = None
) -> str:
    """Decode bytes, then repair the text as ``fix`` does.

    >>> fix_bytes("Lâ€™été ".encode() + "à Noël".encode("cp1252"))
    'L’été à Noël'
    """
    check_bytes(data, "fix_bytes")
    return fix(decode(data, encoding).text, profile)
