"""bytes -> str: BOMs, UTF-8 first, mixed runs, then charset detection.

The order of evidence, on a sample of the input (the first ``sample_size``
bytes; the rest is decoded as a stream the way the sample was):

1. a byte-order mark (UTF-32 LE/BE, UTF-8, UTF-16 LE/BE);
2. binary input is refused: a known file signature, or more than 1% NUL
   bytes that do not read as UTF-16/UTF-32 text without a BOM;
3. strict UTF-8;
4. UTF-8 with invalid runs, line by line: valid lines stay UTF-8; in a line
   with invalid bytes, valid UTF-8 stays UTF-8 and each invalid run is read
   in the legacy encoding (single-byte or CJK) that the lines with invalid
   bytes fit best, in context — or the whole line is read in it when that
   shows less damage, or as little and its valid UTF-8 looks accidental.
   The whole sample is read in one legacy encoding when that shows no more
   mojibake, which is what a legacy file with a few accidental UTF-8
   sequences looks like;
5. charset-normalizer for a single legacy encoding, single-byte or CJK, with
   its candidates re-ranked by how well their letters fit one language.

>>> decode("naïve".encode()).text
'naïve'
>>> result = decode("café ".encode() + "thé\\n".encode("cp1252"))
>>> result.text, result.encodings, result.fallback_ranges
('café thé\\n', ('utf-8', 'cp1252'), ((8, 9),))
"""

from textmend.decoding.errors import BinaryInputError, EncodingMismatchError
from textmend.decoding.stream import (
    DecodeResult,
    LineDecoder,
    LineText,
    StreamDecoder,
    check_bytes,
    decode,
)
from textmend.decoding.tables import DEFAULT_SAMPLE_SIZE, text_encoding

__all__ = [
    "DEFAULT_SAMPLE_SIZE",
    "BinaryInputError",
    "DecodeResult",
    "EncodingMismatchError",
    "LineDecoder",
    "LineText",
    "StreamDecoder",
    "check_bytes",
    "decode",
    "text_encoding",
]
