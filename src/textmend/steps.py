"""The registry: every step, in the order the pipeline runs them."""

from __future__ import annotations

from textmend import controls, entities, normal_form, repair
from textmend.pipeline import Step

STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        controls.TERMINAL_ESCAPES,
        entities.HTML_ENTITIES_STEP,
        repair.LOSSY_RESIDUE,
        repair.MOJIBAKE,
        controls.C1_CONTROLS,
        controls.SURROGATES,
        controls.CONTROL_CHARS,
        normal_form.NFC,
    )
}

# The steps that repair damage; they change no correct typography.
REPAIR_STEPS: tuple[str, ...] = tuple(STEPS)
