"""Profiles: which steps run, as one immutable, picklable, hashable value.

>>> safe = PROFILES["safe"]
>>> "mojibake" in safe.steps
True
>>> safe.disable("nfc").name
'safe-nfc'
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from textmend.steps import REPAIR_STEPS, STEPS


@dataclass(frozen=True)
class Profile:
    """An ordered set of step names; the steps always run in registry order.

    Build one from a preset and switch steps by name:

    >>> PROFILES["news"].disable("html_entities").enable("html_entities").name
    'news-html_entities+html_entities'
    """

    name: str
    steps: tuple[str, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"a profile's name is a str, not {type(self.name).__name__}")
        if isinstance(self.steps, str):
            raise TypeError(
                f"steps must be a tuple of step names, not a str; did you mean ({self.steps!r},)?"
            )
        steps = tuple(self.steps)  # a list (or a generator) read once
        for name in steps:
            if not isinstance(name, str):
                raise TypeError(f"step names are str, not {type(name).__name__}")
        _check_known(steps)
        ordered = tuple(s for s in STEPS if s in steps)
        for pair in _OPPOSITES:
            if set(pair) <= set(ordered):
                raise ValueError(f"steps {pair[0]!r} and {pair[1]!r} undo each other; enable one")
        object.__setattr__(self, "steps", ordered)

    def enable(self, *names: str) -> Profile:
        """This profile with more steps switched on.

        >>> PROFILES["safe"].enable("curl_quotes").name
        'safe+curl_quotes'
        """
        _check_arguments(names, "enable")
        added = [n for n in dict.fromkeys(names) if n not in self.steps]
        label = self.name + "".join(f"+{n}" for n in added)
        return Profile(label, self.steps + tuple(added))

    def disable(self, *names: str) -> Profile:
        """This profile with some steps switched off.

        >>> "nfc" in PROFILES["safe"].disable("nfc").steps
        False
        """
        _check_arguments(names, "disable")
        _check_known(names)
        removed = [n for n in dict.fromkeys(names) if n in self.steps]
        label = self.name + "".join(f"-{n}" for n in removed)
        return Profile(label, tuple(s for s in self.steps if s not in names))


def _check_arguments(names: tuple[object, ...], method: str) -> None:
    for name in names:
        if not isinstance(name, str):
            raise TypeError(
                f"{method}() takes step names as separate arguments, not {type(name).__name__}; "
                f"write {method}('a', 'b') or {method}(*names)"
            )


def _check_known(names: tuple[str, ...]) -> None:
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        raise ValueError(
            f"unknown step(s) {', '.join(map(repr, unknown))}; known steps: {', '.join(STEPS)}"
        )


# Steps that undo each other would never settle.
_OPPOSITES = (("straighten_quotes", "curl_quotes"),)

# news: repair, remove invisible junk, tidy unit symbols; keep all typography.
_NEWS = (*REPAIR_STEPS, "invisibles", "bidi_controls", "unit_symbols", "degree_signs")
# ascii: plain ASCII punctuation and spaces wherever the meaning survives.
_ASCII = (
    *_NEWS,
    "spaces",
    "ideographic_space",
    "fullwidth_alnum",
    "fullwidth_punctuation",
    "vulgar_fractions",
    "hyphens",
    "minus_sign",
    "ascii_dashes",
    "ellipsis",
    "bullets",
    "guillemets",
    "straighten_quotes",
    "ascii_primes",
)
# llm: one form for each invisible difference (line breaks, spaces, hyphen
# look-alikes, full-width letters); visible typography such as curly quotes,
# dashes and ellipses is kept, and so is layout that code depends on.
_LLM = (
    *_NEWS,
    "line_breaks",
    "spaces",
    "fullwidth_alnum",
    "hyphens",
    "minus_sign",
    "trailing_spaces",
)

PROFILES: MappingProxyType[str, Profile] = MappingProxyType(
    {
        "safe": Profile("safe", REPAIR_STEPS),
        "news": Profile("news", _NEWS),
        "ascii": Profile("ascii", _ASCII),
        "llm": Profile("llm", _LLM),
    }
)
DEFAULT_PROFILE = "news"


def get_profile(profile: Profile | str) -> Profile:
    """Return a Profile given one or the name of a preset."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)} "
            "or pass a textmend.Profile"
        ) from None
