"""A datatrove formatter that repairs each document's text with textmend.

``TextmendFormatter`` takes the place of datatrove's ``FTFYFormatter`` in a
pipeline. It counts, in the step's datatrove stats, the documents it changed
(``changed``) and the changes each textmend step made (``changes_<step>``,
e.g. ``changes_mojibake``): ``fix`` repairs each document, and only the
documents it changed are explained, for the counts.

>>> from datatrove.data import Document
>>> formatter = TextmendFormatter()
>>> docs = [Document(text="caf&eacute; naÃ¯ve", id="1"), Document(text="fine", id="2")]
>>> [doc.text for doc in formatter.run(iter(docs))]
['café naïve', 'fine']
>>> {name: formatter.stats[name].total for name in sorted(formatter.stats.stats)}
{'changed': 1, 'changes_html_entities': 1, 'changes_mojibake': 1, 'total': 2}
"""

from __future__ import annotations

from collections import Counter

from textmend.integrations._engines import missing_engine

try:
    from datatrove.pipeline.formatters.base import BaseFormatter
except ImportError as error:
    raise missing_engine(error, "datatrove") from error

from textmend.integrations._values import fix_explained
from textmend.pipeline import compile_profile
from textmend.profiles import DEFAULT_PROFILE, Profile, get_profile

__all__ = ["TextmendFormatter"]


class TextmendFormatter(BaseFormatter):  # type: ignore[misc]  # datatrove is untyped
    """Repair ``doc.text`` as ``textmend.fix(doc.text, profile)`` does.

    In a pipeline, where ``FTFYFormatter()`` was:

    >>> from datatrove.executor import LocalPipelineExecutor
    >>> from datatrove.pipeline.readers import JsonlReader
    >>> from datatrove.pipeline.writers import JsonlWriter
    >>> steps = [JsonlReader("in/"), TextmendFormatter("news"), JsonlWriter("out/")]
    >>> LocalPipelineExecutor(steps, tasks=4).run()  # doctest: +SKIP
    """

    name = "🩹 textmend"

    def __init__(self, profile: Profile | str = DEFAULT_PROFILE) -> None:
        super().__init__()
        # The Profile travels to datatrove's workers; each compiles it once.
        self.profile = get_profile(profile)

    def format(self, text: str) -> str:
        fixed, changes = fix_explained(text, compile_profile(self.profile))
        if changes:
            self.stat_update("changed")
            for step, count in Counter(change.step for change in changes).items():
                self.stat_update(f"changes_{step}", value=count)
        return fixed
