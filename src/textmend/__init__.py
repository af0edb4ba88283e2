"""textmend: repair damaged text, better than ftfy alone.

>>> import textmend
>>> textmend.fix("It&rsquo;s â€œbrokenâ€\x9d")
'It’s “broken”'
"""

from textmend.api import explain, fix
from textmend.pipeline import Change, apply_changes
from textmend.profiles import PROFILES, Profile
from textmend.steps import STEPS

__version__ = "0.1.0"

__all__ = [
    "PROFILES",
    "STEPS",
    "Change",
    "Profile",
    "__version__",
    "apply_changes",
    "explain",
    "fix",
]
