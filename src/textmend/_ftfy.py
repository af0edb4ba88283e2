"""The parts of ftfy that are not its public API, named in one place.

textmend reads ftfy's character tables and its badness measure as they are,
rather than copying them. They are internals: a new ftfy may move them, so
they are imported here only, and ``tests/unit/test_ftfy_internals.py`` checks
them against the lowest and the newest ftfy that ``pyproject.toml`` allows.

>>> badness("â€œ") > badness("“")
True
"""

from ftfy.badness import BADNESS_RE, badness
from ftfy.chardata import (
    CHARMAP_ENCODINGS,
    HTML_ENTITIES,
    LOSSY_UTF8_RE,
    UTF8_DETECTOR_RE,
)

__all__ = [
    "BADNESS_RE",
    "CHARMAP_ENCODINGS",
    "HTML_ENTITIES",
    "LOSSY_UTF8_RE",
    "UTF8_DETECTOR_RE",
    "badness",
]
