"""The one rule for a value found in a dataset: repair text, leave the rest."""

from __future__ import annotations

from textmend import Change, apply_changes
from textmend.pipeline import Pipeline


def fix_value(value: object, pipeline: Pipeline) -> object:
    """Repair a str; return anything else (None, NaN, numbers) as it is, but refuse bytes.

    Bytes are refused because leaving them alone would silently skip text
    that was never decoded.

    >>> from textmend.pipeline import compile_profile
    >>> from textmend.profiles import PROFILES
    >>> fix_value("caf&eacute;", compile_profile(PROFILES["news"])), fix_value(None, None)
    ('café', None)
    """
    if isinstance(value, str):
        return pipeline.fix(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError("holds bytes, not str; decode them first (textmend.fix_bytes)")
    return value


def fix_explained(text: str, pipeline: Pipeline) -> tuple[str, list[Change]]:
    """``pipeline.fix(text)`` and the changes that make it, from one pass.

    The explanation's changes replay to what ``fix`` gives, so a caller that
    counts changes repairs each text once, not once to fix and again to explain.

    >>> from textmend.pipeline import compile_profile
    >>> from textmend.profiles import PROFILES
    >>> fixed, changes = fix_explained("caf&eacute;", compile_profile(PROFILES["news"]))
    >>> fixed, [c.step for c in changes]
    ('café', ['html_entities'])
    """
    changes = pipeline.explain(text)
    return apply_changes(text, changes), changes
