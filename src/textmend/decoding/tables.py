"""The encodings textmend knows, in the order it prefers them, and what marks binary data.

>>> "cp1252" in PREFERRED and SINGLE_BYTE <= set(PREFERRED)
True
"""

from __future__ import annotations

import codecs
import re
import unicodedata

DEFAULT_SAMPLE_SIZE = 1 << 20


DEFAULT_LEGACY = "cp1252"


# The common single-byte encodings, most common first.
_COMMON = (
    "cp1252",
    "cp1250",
    "cp1251",
    "koi8-r",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp1258",
)


# Encodings that store letters and their accents apart: decoded text is
# composed (NFC), as it was written.
COMPOSED = frozenset({"cp1258"})


# Among encodings that decode a sample to the same text, the name reported:
# the common one (and the superset, which is safer for the rest of a stream).
PREFERRED = (
    *_COMMON,
    "iso8859-7",
    "cp874",
    "koi8-u",
    "iso8859-1",
    "iso8859-2",
    "iso8859-15",
    "cp932",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "gbk",
    "cp950",
    "big5",
    "cp949",
    "euc_kr",
)


SINGLE_BYTE = frozenset(PREFERRED[: PREFERRED.index("cp932")])


BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


SIGNATURES = tuple(
    (re.compile(pattern, re.DOTALL), name)
    for pattern, name in (
        (rb"\x89PNG\r\n\x1a\n", "PNG image"),
        (rb"\xff\xd8\xff", "JPEG image"),
        (rb"GIF8[79]a", "GIF image"),
        (rb"II\*\x00|MM\x00\*", "TIFF image"),
        (rb"RIFF....WEBP", "WebP image"),
        (rb"RIFF....(?:WAVE|AVI )", "RIFF audio/video"),
        (rb"OggS|fLaC|ID3", "audio file"),
        (rb"....ftyp", "MP4/QuickTime media"),
        (rb"%PDF-", "PDF document"),
        (rb"PK\x03\x04|PK\x05\x06|PK\x07\x08", "ZIP archive"),
        (rb"\x1f\x8b", "gzip data"),
        (rb"BZh[1-9]1AY&SY", "bzip2 data"),
        (rb"\xfd7zXZ\x00", "xz data"),
        (rb"\x28\xb5\x2f\xfd", "zstd data"),
        (rb"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
        (rb"Rar!\x1a\x07", "RAR archive"),
        (rb"\x7fELF", "ELF executable"),
        (
            rb"\xca\xfe\xba\xbe|\xcf\xfa\xed\xfe|\xce\xfa\xed\xfe|\xfe\xed\xfa[\xce\xcf]",
            "Mach-O/Java class file",
        ),
        (rb"\x00asm", "WebAssembly module"),
        (rb"SQLite format 3\x00", "SQLite database"),
    )
)


# The non-ASCII letters of the languages the single-byte encodings serve;
# scripts with their own Unicode blocks are matched by block name instead.
ALPHABETS = (
    "àâçéèêëîïôœùûüÿ",  # French (æ is too rare to count)
    "áéíóúüñ",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóù",  # Italian
    "äöüß",  # German
    "áéíóöüèëïà",  # Dutch
    "æøåéó",  # Danish, Norwegian
    "åäöé",  # Swedish, Finnish
    "áðéíóúýþæö",  # Icelandic
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "ăâîșşțţ",  # Romanian
    "čćđšž",  # Croatian, Slovene, Bosnian
    "çğıiöşüâîû",  # Turkish; "i" stands for İ, whose lower case is i + U+0307
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äöõüšž",  # Estonian
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",  # Vietnamese
)


SCRIPTS = (  # Cyrillic: see detection._cyrillic_fit
    {"GREEK"},
    {"ARABIC"},
    {"HEBREW"},
    {"THAI"},
    {"CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "FULLWIDTH", "IDEOGRAPHIC"},
    # Hanja are rare in Korean news: Han glued to Hangul is a misreading.
    {"HANGUL", "FULLWIDTH", "IDEOGRAPHIC"},
)


def composed(text: str, encoding: str) -> str:
    """Text as written: Windows-1258 stores Vietnamese tone marks apart."""
    return unicodedata.normalize("NFC", text) if encoding in COMPOSED else text


def text_encoding(name: str) -> str:
    """The canonical name of a text encoding; ``LookupError`` if ``name`` is not one.

    Codecs such as rot13 or base64 are found by ``codecs.lookup`` but do not
    turn bytes into text: ``bytes.decode`` refuses them, and so does this.

    >>> text_encoding("Latin-1")
    'iso8859-1'
    >>> text_encoding("rot13")
    Traceback (most recent call last):
    LookupError: 'rot13' is not a text encoding
    """
    info = codecs.lookup(name)
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(f"{name!r} is not a text encoding")
    return info.name
