"""The registry: every step by name, each stage's order declared once.

Repairs run first and change no correct typography; normalisation runs on
repaired text. A profile's steps always run in this order, whatever order
they were named in.

>>> REPAIR_STEPS[:2]
('terminal_escapes', 'html_entities')
>>> STEPS["nfc"].name
'nfc'
"""

from __future__ import annotations

from types import MappingProxyType

from textmend.step import Step
from textmend.steps.normalise import punctuation, units, whitespace
from textmend.steps.repair import controls, east_asian, entities, mojibake, normal_form, residue

# Entities are decoded before mojibake is read (an entity may spell part of
# it), and residue is read before ftfy's mojibake repair would misread it.
# East Asian mojibake is read before ftfy, which takes pieces of it for UTF-8.
_REPAIR: tuple[Step, ...] = (
    controls.TERMINAL_ESCAPES,
    entities.HTML_ENTITIES_STEP,
    east_asian.EAST_ASIAN_MOJIBAKE,
    residue.LOSSY_RESIDUE,
    mojibake.MOJIBAKE,
    controls.C1_CONTROLS,
    controls.SURROGATES,
    controls.CONTROL_CHARS,
    normal_form.NFC,
)

# Characters are unified before the steps that read their neighbours
# (guillemet spacing, unit spacing, quote pairing), and each line's layout is
# tidied last.
_NORMALISE: tuple[Step, ...] = (
    whitespace.LINE_BREAKS,
    whitespace.INVISIBLES,
    whitespace.BIDI_CONTROLS,
    whitespace.SPACES,
    whitespace.IDEOGRAPHIC_SPACE,
    units.UNIT_SYMBOLS,
    units.DEGREE_SIGNS,
    units.FULLWIDTH_ALNUM,
    punctuation.FULLWIDTH_PUNCTUATION,
    units.VULGAR_FRACTIONS,
    units.UNIT_SPACING,
    punctuation.HYPHENS,
    punctuation.MINUS_SIGN,
    punctuation.ASCII_DASHES,
    punctuation.ELLIPSIS,
    punctuation.BULLETS,
    punctuation.GUILLEMETS,
    punctuation.STRAIGHTEN_QUOTES,
    punctuation.ASCII_PRIMES,
    punctuation.CURL_QUOTES,
    whitespace.TRAILING_SPACES,
    whitespace.SPACE_RUNS,
)

# The names of the steps that repair damage, in the order they run.
REPAIR_STEPS: tuple[str, ...] = tuple(step.name for step in _REPAIR)
# The names of the normalisation steps, in the order they run.
NORMALISE_STEPS: tuple[str, ...] = tuple(step.name for step in _NORMALISE)
# Every step by name, read-only, in running order.
STEPS: MappingProxyType[str, Step] = MappingProxyType(
    {step.name: step for step in _REPAIR + _NORMALISE}
)
