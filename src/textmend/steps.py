"""The registry: every step, in the order the pipeline runs them."""

from __future__ import annotations

from textmend import (
    controls,
    entities,
    mojibake,
    normal_form,
    punctuation,
    residue,
    units,
    whitespace,
)
from textmend.pipeline import Step

STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        controls.TERMINAL_ESCAPES,
        entities.HTML_ENTITIES_STEP,
        residue.LOSSY_RESIDUE,
        mojibake.MOJIBAKE,
        controls.C1_CONTROLS,
        controls.SURROGATES,
        controls.CONTROL_CHARS,
        normal_form.NFC,
    )
}

# The steps that repair damage; they change no correct typography.
REPAIR_STEPS: tuple[str, ...] = tuple(STEPS)

# Normalisation runs on repaired text, in this order: characters are unified
# before the steps that read their neighbours (guillemet spacing, unit
# spacing, quote pairing), and each line's layout is tidied last.
STEPS.update(
    (step.name, step)
    for step in (
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
)
