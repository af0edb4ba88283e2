"""textmend: repair damaged text, better than ftfy alone.

>>> import textmend
>>> textmend.fix("It&rsquo;s â€œbrokenâ€\x9d")
'It’s “broken”'
"""

from textmend.api import explain, fix, fix_bytes
from textmend.decoding import (
    BinaryInputError,
    DecodeResult,
    EncodingMismatchError,
    StreamDecoder,
    decode,
)
from textmend.explanation import Change, apply_changes
from textmend.profiles import PROFILES, Profile
from textmend.steps import STEPS

__version__ = "0.1.0"

__all__ = [
    "PROFILES",
    "STEPS",
    "BinaryInputError",
    "Change",
    "DecodeResult",
    "EncodingMismatchError",
    "Profile",
    "StreamDecoder",
    "__version__",
    "apply_changes",
    "decode",
    "explain",
    "fix",
    "fix_bytes",
]
