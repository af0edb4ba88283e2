"""What decoding refuses: binary input, bytes that do not fit the encoding asked for."""

from __future__ import annotations


class BinaryInputError(ValueError):
    """The input is not text (an image, an archive, an executable...).

    >>> from textmend import decode
    >>> decode(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(20))
    Traceback (most recent call last):
    textmend.decoding.errors.BinaryInputError: PNG image signature at byte 0
    """


class EncodingMismatchError(UnicodeDecodeError):
    """The bytes do not fit the encoding the caller asked for.

    ``position`` is the absolute byte offset of the first bad byte and
    ``line`` its 1-based line number; ``object`` holds the bad bytes.

    >>> from textmend import decode
    >>> try:
    ...     decode(b"ok\\ncaf\\xe9 au lait", encoding="utf-8")
    ... except EncodingMismatchError as err:
    ...     print(err.position, err.line, err.object, err.encoding)
    6 2 b'\\xe9' utf-8
    """

    def __init__(self, encoding: str, bad: bytes, position: int, line: int, reason: str) -> None:
        super().__init__(encoding, bad, 0, len(bad), reason)
        self.position = position
        self.line = line

    def __reduce__(self) -> tuple[type, tuple[str, bytes, int, int, str]]:
        # Pickled across process pools; the base class would replay the wrong args.
        return type(self), (self.encoding, self.object, self.position, self.line, self.reason)

    def __str__(self) -> str:
        return (
            f"bytes do not fit {self.encoding!r}: {self.object.hex(' ')} at byte "
            f"{self.position} (line {self.line}): {self.reason}"
        )
