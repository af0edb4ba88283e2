"""HTML entities, decoded one level and never into markup.

``&rsquo;``, ``&#8220;`` and ``&eacute;`` become the characters they name.
``&lt;`` and ``&gt;`` stay: decoding them could turn escaped text into live
markup. ``&amp;`` becomes ``&`` unless that would spell an entity this step decodes,
so ``&amp;lt;b&amp;gt;`` becomes ``&lt;b&gt;`` and a second run changes
nothing, while ``&amp;eacute;`` stays as it is.
"""

from __future__ import annotations

import html
import re

from textmend._ftfy import HTML_ENTITIES
from textmend.step import Step, Trigger

_ENTITY = r"&#?[0-9A-Za-z]{1,24};"
_ENTITY_RE = re.compile(_ENTITY)
# An entity without its "&": what follows "&amp;" is read in place.
_AFTER_AMP_RE = re.compile(_ENTITY[1:])
# Characters whose entity would recombine with its neighbours or make markup.
_KEEP = (
    frozenset("<>#;")
    | frozenset("0123456789")
    | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
)


def _decoded(entity: str) -> str | None:
    if entity in HTML_ENTITIES:
        return HTML_ENTITIES[entity]
    if entity.startswith("&#"):
        value = html.unescape(entity)
        return None if ";" in value else value
    return None


def _replace(match: re.Match[str]) -> str:
    entity = match.group(0)
    value = _decoded(entity)
    if value is None or value in _KEEP:
        return entity
    if value == "&":
        # Matched in place: "&" + the rest of the text, built at each "&amp;",
        # copied the text once per "&amp;" (quadratic on a line of them).
        after = _AFTER_AMP_RE.match(match.string, match.end())
        if after and _decoded("&" + after.group(0)) not in (None, *_KEEP):
            return entity
    return value


def html_entities(text: str) -> str:
    """Decode HTML entities one level, keeping ``&lt;`` and ``&gt;``.

    >>> html_entities("It&rsquo;s &#8220;AT&amp;T&#8221; &lt;b&gt; &amp;lt;i&amp;gt;")
    'It’s “AT&T” &lt;b&gt; &lt;i&gt;'
    """
    return _ENTITY_RE.sub(_replace, text)


HTML_ENTITIES_STEP = Step("html_entities", html_entities, (Trigger("&", _ENTITY[1:]),))
