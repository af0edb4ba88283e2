"""HTML entities, decoded down to the character and never into markup.

``&rsquo;``, ``&#8220;`` and ``&eacute;`` become the characters they name,
and so do chains of escaping (``&amp;rsquo;``, ``&amp;amp;pound;``), common
in feeds and exports. ``&lt;`` and ``&gt;`` stay: decoding them could turn
escaped text into live markup, so ``&amp;lt;b&amp;gt;`` becomes
``&lt;b&gt;``. A text with a line that holds both markup (a tag, a comment,
a declaration) and an entity is HTML or XML, whose entities are its own:
nothing in it is decoded, as ftfy does. An entity quoted alone (``'&amp;'``)
is named, not used, and stays.
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable, Sequence

from textmend._ftfy import HTML_ENTITIES
from textmend.step import Step, Trigger

_ENTITY = r"&#?[0-9A-Za-z]{1,24};"
# An entity behind any number of escaped "&": "&amp;amp;pound;" is "£".
_CHAIN_RE = re.compile(r"&(?:amp;)*(#?[0-9A-Za-z]{1,24});")
_ENTITY_RE = re.compile(_ENTITY)
# An entity without its "&": what follows a decoded "&" is read in place.
_AFTER_AMP_RE = re.compile(_ENTITY[1:])
# Characters whose entity would recombine with its neighbours or make markup.
_KEEP = (
    frozenset("<>#;")
    | frozenset("0123456789")
    | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
)
_QUOTES = frozenset("'\"`")
# What follows "<" in markup: a tag's name, a comment, a declaration (DOCTYPE,
# CDATA) or a processing instruction; "a < b" and "<3" are no markup.
_MARKUP_AFTER = r"/?[A-Za-z][\w:.-]*(?:[\s/>]|$)|!--|!\[CDATA\[|![A-Za-z]|\?[A-Za-z]"
_MARKUP_RE = re.compile(f"<(?:{_MARKUP_AFTER})")


def _decoded(entity: str) -> str | None:
    if entity in HTML_ENTITIES:
        return HTML_ENTITIES[entity]
    if entity.startswith("&#"):
        value = html.unescape(entity)
        return None if ";" in value else value
    return None


def _replace(match: re.Match[str]) -> str:
    chain, text = match.group(0), match.string
    start, end = match.span()
    if start > 0 and end < len(text) and text[start - 1] == text[end] and text[end] in _QUOTES:
        return chain  # '&amp;' quoted alone: a name for the entity, as code writes it
    entity = f"&{match.group(1)};"
    value = _decoded(entity)
    if value is None:
        # Not an entity: the escaped "&"s before it are decoded, leaving "&foo;".
        return entity
    if value in _KEEP:
        return entity
    if value == "&":
        # Matched in place: "&" + the rest of the text, built at each "&amp;",
        # copied the text once per "&amp;" (quadratic on a line of them).
        after = _AFTER_AMP_RE.match(text, end)
        if after and _decoded("&" + after.group(0)) not in (None, *_KEEP):
            return chain
    return value


def has_markup(segments: Sequence[str]) -> Hashable:
    """Whether a line holds both markup and an entity: then the text is HTML
    or XML, whose entities are its own, and none is decoded.

    Only lines with an entity count: they are the lines this step is asked
    about, so that every line of a text need not be looked at for markup.

    >>> has_markup(["<p>Tom &amp; Jerry</p>"]), has_markup(["a < b &amp; c", "<p>"])
    (True, False)
    """
    for segment in segments:
        pos = 0
        # Each line is looked at once, however many tags it holds.
        while (found := _MARKUP_RE.search(segment, pos)) is not None:
            start = segment.rfind("\n", 0, found.start()) + 1
            end = segment.find("\n", found.end())
            pos = len(segment) if end < 0 else end
            if _ENTITY_RE.search(segment, start, pos):
                return True
    return False


def html_entities(text: str, markup: Hashable = False) -> str:
    """Decode HTML entities down to the character, keeping ``&lt;`` and ``&gt;``.

    >>> html_entities("It&rsquo;s &#8220;AT&amp;T&#8221; &amp;amp;pound;5 &amp;lt;i&amp;gt;")
    'It’s “AT&T” £5 &lt;i&gt;'
    >>> html_entities("<p>Tom &amp; Jerry</p>", markup=True)
    '<p>Tom &amp; Jerry</p>'
    """
    return text if markup else _CHAIN_RE.sub(_replace, text)


HTML_ENTITIES_STEP = Step("html_entities", html_entities, (Trigger("&", _ENTITY[1:]),), has_markup)
