"""bytes -> str: BOMs, UTF-8 first, mixed runs, then charset detection.

Incomplete: charset detection, binary refusal and explicit-encoding errors are
being added. The interface below is the one the CLI builds on.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass


class BinaryInputError(ValueError):
    """The input is not text (an image, an archive, an executable...)."""


@dataclass(frozen=True)
class DecodeResult:
    """Decoded text and how it was decoded."""

    text: str
    encodings: tuple[str, ...]
    confidence: float
    fallback_ranges: tuple[tuple[int, int], ...] = ()

    @property
    def mixed(self) -> bool:
        return len(self.encodings) > 1


class StreamDecoder:
    """Decode a byte stream chunk by chunk, in bounded memory.

    >>> d = StreamDecoder()
    >>> d.decode(b"caf\\xc3") + d.decode(b"\\xa9", final=True)
    'café'
    """

    def __init__(self, encoding: str | None = None) -> None:
        self.encoding = encoding
        self.encodings: list[str] = []
        self._decoder = codecs.getincrementaldecoder(encoding or "utf-8")("strict")

    def decode(self, chunk: bytes, final: bool = False) -> str:
        text = self._decoder.decode(chunk, final)
        if (text or final) and not self.encodings:
            self.encodings.append(self.encoding or "utf-8")
        return text


def decode(data: bytes, encoding: str | None = None) -> DecodeResult:
    """Decode a whole payload.

    >>> decode("naïve".encode()).text
    'naïve'
    """
    decoder = StreamDecoder(encoding)
    text = decoder.decode(bytes(data), final=True)
    return DecodeResult(text, tuple(decoder.encodings), 1.0)
