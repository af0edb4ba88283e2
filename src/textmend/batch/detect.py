"""What ``textmend detect`` finds in a file's bytes: binary or text, encodings, mojibake."""

from __future__ import annotations

from textmend.api import fix
from textmend.decoding import BinaryInputError, decode
from textmend.profiles import Profile

_MOJIBAKE_CHECK = Profile("mojibake-check", ("mojibake",))


def describe(data: bytes) -> dict[str, object]:
    """What ``textmend detect`` reports about one file's bytes.

    >>> describe("Tâ€™as vu ?".encode())["mojibake"]
    True
    >>> describe(b"\\x89PNG\\r\\n\\x1a\\n...")["binary"]
    'PNG image signature at byte 0'
    """
    try:
        result = decode(data)
    except BinaryInputError as err:
        return {"binary": str(err)}
    return {
        "binary": None,
        "encodings": list(result.encodings),
        "confidence": result.confidence,
        "mixed": result.mixed,
        "bom": result.bom.hex() or None,
        "fallback_ranges": [list(r) for r in result.fallback_ranges],
        "mojibake": fix(result.text, _MOJIBAKE_CHECK) != result.text,
    }


def format_description(name: str, info: dict[str, object]) -> str:
    """One line of ``textmend detect`` text output.

    >>> format_description("a.txt", describe("café".encode()))
    'a.txt: utf-8, confidence 1.00, not mixed, no mojibake'
    """
    if info["binary"]:
        return f"{name}: binary ({info['binary']})"
    encodings = info["encodings"]
    assert isinstance(encodings, list)
    parts = [
        " + ".join(encodings),
        f"confidence {info['confidence']:.2f}",
        "mixed" if info["mixed"] else "not mixed",
        "mojibake" if info["mojibake"] else "no mojibake",
    ]
    if info["bom"]:
        parts.insert(1, "BOM")
    return f"{name}: " + ", ".join(parts)
