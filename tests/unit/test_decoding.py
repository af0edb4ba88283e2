"""bytes -> str: the order of evidence, mixed files, binary refusal, streams."""

from __future__ import annotations

import codecs
import gzip
import io
import itertools
import json
import pickle
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import DATA

from textmend import fix_bytes
from textmend.batch.detect import describe, format_description
from textmend.decoding import (
    BinaryInputError,
    EncodingMismatchError,
    StreamDecoder,
    decode,
)

TEXTS = json.loads((DATA / "decode_texts.json").read_text(encoding="utf-8"))
MIXED = json.loads((DATA / "decode_mixed.json").read_text(encoding="utf-8"))
FRENCH = next(t["text"] for t in TEXTS if t["language"] == "French")
RUSSIAN = next(t["text"] for t in TEXTS if t["encoding"] == "windows-1251")


def _ids(case: dict[str, str]) -> str:
    return f"{case['encoding']}-{case['language']}"


@pytest.mark.parametrize("case", TEXTS, ids=_ids)
def test_legacy_encodings_come_back_exactly(case: dict[str, str]) -> None:
    data = case["text"].encode(case["encoding"])
    assert data.decode("utf-8", "replace") != case["text"]  # really not UTF-8
    result = decode(data)
    assert result.text == case["text"]
    assert len(result.encodings) == 1 and not result.mixed
    # The name reported is one that decodes the bytes the same way.
    assert data.decode(result.encodings[0]) == case["text"]
    assert result.fallback_ranges == ()


@pytest.mark.parametrize(
    ("codec", "bom", "reported"),
    [
        ("utf-8-sig", codecs.BOM_UTF8, "utf-8"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le"),
        ("utf-32-be", codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
@pytest.mark.parametrize("case", TEXTS, ids=_ids)
def test_bom_decides(case: dict[str, str], codec: str, bom: bytes, reported: str) -> None:
    data = case["text"].encode(codec)
    if codec != "utf-8-sig":
        data = bom + data
    result = decode(data)
    assert (result.text, result.encodings, result.bom) == (case["text"], (reported,), bom)


@pytest.mark.parametrize(
    "text", ["Brest, 2 mars. Le port a rouvert à l’aube après la tempête.\n", RUSSIAN]
)
def test_utf16_without_bom_is_text_not_binary(text: str) -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        result = decode(text.encode(codec))
        assert (result.text, result.encodings, result.bom) == (text, (codec,), b"")
        assert result.confidence < 1


def test_strict_utf8_wins() -> None:
    result = decode(FRENCH.encode())
    assert (result.text, result.encodings, result.confidence) == (FRENCH, ("utf-8",), 1.0)


def test_utf8_with_windows1252_lines() -> None:
    lines = [
        ("Le maire a annoncé l’ouverture du marché de Noël.\n", "utf-8"),
        ("Les élèves ont défilé jusqu’à la préfecture à 10 h.\n", "cp1252"),
        ("La fête durera jusqu’au 2 janvier — sauf tempête.\n", "utf-8"),
        ("« C’est un succès », a résumé l’adjointe.\n", "cp1252"),
    ]
    data = b"".join(line.encode(codec) for line, codec in lines)
    result = decode(data)
    assert result.text == "".join(line for line, _ in lines)
    assert result.encodings == ("utf-8", "cp1252") and result.mixed
    # Every fallback range lies in a Windows-1252 line, and covers its accents.
    starts = [0]
    for line, codec in lines:
        starts.append(starts[-1] + len(line.encode(codec)))
    legacy_bytes = {
        i
        for n, (_, codec) in enumerate(lines)
        if codec == "cp1252"
        for i in range(starts[n], starts[n + 1])
    }
    covered = {i for start, end in result.fallback_ranges for i in range(start, end)}
    assert covered == {i for i in legacy_bytes if data[i] >= 0x80}


def test_utf8_with_windows1252_bytes_inside_a_line() -> None:
    head, legacy, tail = "Prix : 12 € pour le café, ", "crème brûlée", " — à emporter.\n"
    data = head.encode() + legacy.encode("cp1252") + tail.encode()
    result = decode(data)
    assert result.text == head + legacy + tail
    assert result.encodings == ("utf-8", "cp1252")
    base = len(head.encode())
    expected = [(base + i, base + i + 1) for i, c in enumerate(legacy) if c > "\x7f"]
    assert list(result.fallback_ranges) == expected


def test_invalid_runs_take_the_encoding_their_letters_fit() -> None:
    head, legacy = "Résumé de l’agence : ", "Москва готовится к зиме.\n"
    result = decode(head.encode() + legacy.encode("cp1251"))
    assert (result.text, result.encodings) == (head + legacy, ("utf-8", "cp1251"))


def test_accidental_utf8_in_a_legacy_file_is_not_mixed() -> None:
    data = RUSSIAN.encode("cp1251")
    # "Фё" in Windows-1251 is the valid UTF-8 of "Ը": the file must not be
    # read as UTF-8 with Windows-1251 runs because of it.
    assert "Ը" in data.decode("utf-8", "ignore")
    result = decode(data)
    assert (result.text, result.encodings) == (RUSSIAN, ("cp1251",))


def _encode(text: str, codec: str) -> bytes:
    """Text in a codec; for Windows-1258, with tone marks stored apart as it does."""
    if codec != "cp1258":
        return text.encode(codec)
    out = ""
    for char in text:
        base, *marks = unicodedata.normalize("NFD", char)
        apart = ""
        for mark in marks:
            joined = unicodedata.normalize("NFC", base + mark)
            try:
                joined.encode(codec)
                base = joined
            except UnicodeEncodeError:
                apart += mark
        out += base + apart
    return out.encode(codec)


def _mixed_ids(case: dict[str, object]) -> str:
    return str(case["name"])


@pytest.mark.parametrize("case", MIXED["mixed"], ids=_mixed_ids)
def test_legacy_lines_in_utf8_file(case: dict[str, list[list[str]]]) -> None:
    lines = [(text, _encode(text, codec), codec) for text, codec in case["lines"]]
    data = b"".join(raw for _, raw, _ in lines)
    result = decode(data)
    assert result.text == "".join(text for text, _, _ in lines)
    assert result.mixed and result.encodings[0] == "utf-8"
    legacy = result.encodings[1]
    # Bytes read in the fallback lie in legacy lines and cover their non-ASCII.
    inside, non_ascii, start = set(), set(), 0
    for text, raw, codec in lines:
        if codec != "utf-8":
            assert unicodedata.normalize("NFC", raw.decode(legacy)) == text
            inside.update(range(start, start + len(raw)))
            non_ascii.update(start + i for i, byte in enumerate(raw) if byte > 0x7F)
        start += len(raw)
    covered = {i for a, b in result.fallback_ranges for i in range(a, b)}
    assert non_ascii <= covered <= inside
    cuts = list(range(0, len(data), 7))
    assert _stream(data, cuts, 64) == _whole(data, 64)


@pytest.mark.parametrize("case", MIXED["legacy"], ids=_mixed_ids)
def test_legacy_file_read_in_the_encoding_that_fits(case: dict[str, str]) -> None:
    data = _encode(case["text"], case["encoding"])
    result = decode(data)
    assert result.text == case["text"]
    assert result.encodings == (codecs.lookup(case["encoding"]).name,) or (
        len(result.encodings) == 1 and data.decode(result.encodings[0]) == case["text"]
    )
    cuts = list(range(len(data)))
    assert _stream(data, cuts, 1 << 20) == _whole(data, 1 << 20)


def test_a_long_line_is_streamed_in_pieces() -> None:
    sentence = "Le vent a soufflé à 120 km/h sur la côte. "
    legacy = "crème brûlée "
    data = (sentence * 1600).encode() + legacy.encode("cp1252") + (sentence * 2400 + "\n").encode()
    decoder = StreamDecoder(sample_size=1000)
    early = "".join(decoder.decode(data[i : i + 1000]) for i in range(0, len(data), 1000))
    rest = decoder.decode(b"", final=True)
    assert early + rest == sentence * 1600 + legacy + sentence * 2400 + "\n"
    assert early + rest == decode(data, sample_size=1000).text
    assert legacy in early
    # Only the piece of the line after its last cut waits for the end.
    assert len(rest) < 1 << 16


def test_fix_bytes_repairs_mixed_file_with_mojibake() -> None:
    clean = [
        "Le ministre n’a pas commenté l’enquête.\n",
        "Les syndicats appellent à la grève jeudi.\n",
        "« Nous irons jusqu’au bout », prévient leur délégué.\n",
    ]
    mojibake = clean[0].encode().decode("cp1252")  # UTF-8 read as Windows-1252
    assert mojibake != clean[0]
    data = mojibake.encode() + clean[1].encode("cp1252") + clean[2].encode()
    assert fix_bytes(data) == "".join(clean)
    assert fix_bytes(mojibake.encode()) == clean[0]


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "bonjour")
    return buffer.getvalue()


def _elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + struct.pack("<HHI", 2, 0x3E, 1) + bytes(40)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_png(), "PNG image signature"),
        (gzip.compress(FRENCH.encode()), "gzip data signature"),
        (_elf(), "ELF executable signature"),
        (_zip(), "ZIP archive signature"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image signature"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document signature"),
        (struct.pack("<8I", 1, 0, 7, 0, 0, 3, 0, 9) + b"\x80\x81\xfe", "NUL bytes in the first"),
        (b"\x00\x01" * 60, "60 NUL bytes in the first 120 bytes"),
    ],
    ids=["png", "gzip", "elf", "zip", "gif", "pdf", "nul-heavy", "nul-pattern"],
)
def test_binary_input_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(BinaryInputError, match=reason):
        decode(data)
    with pytest.raises(BinaryInputError, match=reason):
        fix_bytes(data)


def test_a_stray_nul_is_not_binary() -> None:
    text = FRENCH[:60] + "\x00" + FRENCH[60:]
    assert decode(text.encode()).text == text


def test_explicit_encoding_skips_the_binary_check() -> None:
    assert decode(b"\x89PNG", encoding="latin-1").text == "\x89PNG"


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_truncated_utf8_at_the_end_is_replaced_and_reported(cut: int) -> None:
    text = "Le séisme a été ressenti jusqu’à Nice 🌍"
    data = text.encode()[:-cut]
    result = decode(data)
    assert result.text == text[:-1] + "\ufffd"
    assert result.encodings == ("utf-8",)
    assert result.fallback_ranges == ((len(data) - (4 - cut), len(data)),)


def test_truncated_utf16_at_the_end_is_replaced_and_reported() -> None:
    data = "ünïcödé".encode("utf-16")[:-1]
    result = decode(data)
    assert result.text == "ünïcöd\ufffd"
    assert result.fallback_ranges == ((len(data) - 1, len(data)),)


def test_single_lead_byte_after_ascii_is_legacy_not_truncation() -> None:
    # Nothing before it shows UTF-8, so "caf\xe9" is Windows-1252 "café".
    assert decode(b"Un caf\xe9").text == "Un café"


def test_explicit_encoding_is_honoured() -> None:
    data = RUSSIAN.encode("cp1251")
    assert decode(data, encoding="windows-1251").text == RUSSIAN
    forced = decode(data, encoding="koi8-r")
    assert forced.text == data.decode("koi8-r") and forced.encodings == ("koi8-r",)


def test_explicit_utf8_strips_its_bom() -> None:
    result = decode(codecs.BOM_UTF8 + b"caf\xc3\xa9", encoding="utf-8")
    assert (result.text, result.bom) == ("café", codecs.BOM_UTF8)


def test_bytes_that_do_not_fit_the_explicit_encoding() -> None:
    data = "Première ligne\nDeuxième ligne\n".encode() + "Troisième".encode("cp1252")
    with pytest.raises(EncodingMismatchError) as caught:
        decode(data, encoding="utf-8")
    err = caught.value
    assert isinstance(err, UnicodeDecodeError)
    position = data.index(b"\xe8\x6d")
    assert (err.position, err.line, err.encoding) == (position, 3, "utf-8")
    assert f"'utf-8': e8 at byte {position} (line 3)" in str(err)


def test_errors_survive_a_process_boundary() -> None:
    with pytest.raises(EncodingMismatchError) as caught:
        decode("Zürich\n".encode("cp1252"), encoding="utf-8")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (str(copy), copy.position, copy.line) == (str(caught.value), 1, 1)
    with pytest.raises(BinaryInputError) as binary:
        decode(_png())
    assert str(pickle.loads(pickle.dumps(binary.value))) == str(binary.value)


def test_mismatch_position_is_absolute_in_a_stream() -> None:
    data = b"a" * 100 + b"\n\xff"
    decoder = StreamDecoder("ascii", sample_size=10)
    with pytest.raises(EncodingMismatchError) as caught:
        for i in range(0, len(data), 7):
            decoder.decode(data[i : i + 7])
        decoder.decode(b"", final=True)
    assert (caught.value.position, caught.value.line) == (101, 2)


def test_sample_must_hold_a_bom() -> None:
    with pytest.raises(ValueError, match="at least 4 bytes"):
        StreamDecoder(sample_size=3)


def test_decoding_in_threads() -> None:
    payloads = [case["text"].encode(case["encoding"]) for case in TEXTS]
    payloads += [FRENCH.encode() + RUSSIAN.encode("cp1251") + b"\n\xc3"] * 8
    expected = [decode(p) for p in payloads]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(decode, payloads * 4)) == expected * 4


def test_utf16_without_bom_cut_inside_a_surrogate_pair_by_the_sample() -> None:
    text = "abcdefg🙂 and the rest\n"
    data = text.encode("utf-16-be")
    # The sample (16 bytes) ends between the two halves of the emoji.
    assert decode(data, sample_size=16).text == text


def test_unknown_encoding_name() -> None:
    with pytest.raises(LookupError, match="no-such-codec"):
        decode(b"abc", encoding="no-such-codec")
    # Found by codecs.lookup, but bytes-to-bytes or text-to-text: no traceback.
    with pytest.raises(LookupError, match="'rot13' is not a text encoding"):
        decode(b"abc", encoding="rot13")


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


def _stream(data: bytes, cuts: list[int], sample_size: int) -> tuple[object, ...]:
    decoder = StreamDecoder(sample_size=sample_size)
    text = "".join(decoder.decode(chunk) for chunk in _chunks(data, cuts))
    text += decoder.decode(b"", final=True)
    return text, decoder.encodings, decoder.fallback_ranges, decoder.bom


def _whole(data: bytes, sample_size: int) -> tuple[object, ...]:
    result = decode(data, sample_size=sample_size)
    return result.text, result.encodings, result.fallback_ranges, result.bom


@pytest.mark.parametrize("case", TEXTS, ids=_ids)
def test_stream_byte_by_byte_matches_whole(case: dict[str, str]) -> None:
    for data in (case["text"].encode(case["encoding"]), case["text"].encode("utf-16")):
        cuts = list(range(len(data)))
        assert _stream(data, cuts, 200) == _whole(data, 200)
        assert _stream(data, cuts, 200)[0] == case["text"]


_PIECES = [
    "café — “naïve” ".encode(),
    "crème brûlée ".encode("cp1252"),
    "Москва ".encode("cp1251"),
    "東京の天気 ".encode("shift_jis"),
    "🌍".encode(),
    b"\xe2\x80",
    b"\xff\xfe",
    b"\x00",
    b"plain ascii\n",
    "إلى المنفذ» ".encode("cp1256"),
    "馆长表示 ".encode("gbk"),
    _encode("Việt Nam ", "cp1258"),
    b"\n",
]


@settings(max_examples=150)
@given(
    data=st.one_of(
        st.binary(max_size=80),
        st.lists(st.sampled_from(_PIECES), max_size=12).map(b"".join),
    ),
    cuts=st.lists(st.integers(min_value=0), max_size=8),
    sample_size=st.integers(min_value=4, max_value=64),
)
def test_stream_matches_decode_for_any_bytes_and_chunking(
    data: bytes, cuts: list[int], sample_size: int
) -> None:
    try:
        expected = _whole(data, sample_size)
    except BinaryInputError as err:
        with pytest.raises(BinaryInputError, match=str(err)):
            _stream(data, cuts, sample_size)
        return
    assert _stream(data, cuts, sample_size) == expected


def test_stream_holds_back_only_the_sample() -> None:
    line = "Le vent a soufflé à 120 km/h sur la côte — « du jamais vu ».\n".encode()
    decoder = StreamDecoder(sample_size=1000)
    outputs = [decoder.decode(line * 50) for _ in range(100)]
    assert outputs[0] != ""  # the first chunk already fills the sample
    assert all(len(out) == len(outputs[0]) for out in outputs[1:])
    assert decoder.decode(b"", final=True) == ""
    assert decoder.encodings == ("utf-8",)


def test_describe_and_its_line() -> None:
    mixed = "Le café ".encode() + "brûlé".encode("cp1252") + b"\n"
    info = describe(mixed)
    assert info == {
        "binary": None,
        "encodings": ["utf-8", "cp1252"],
        "confidence": info["confidence"],
        "mixed": True,
        "bom": None,
        "fallback_ranges": [[11, 12], [13, 14]],
        "mojibake": False,
    }
    assert json.loads(json.dumps(info)) == info
    assert format_description("a.txt", info).startswith("a.txt: utf-8 + cp1252, confidence ")
    assert format_description("a.txt", info).endswith(", mixed, no mojibake")

    damaged = describe("Il nâ€™a rien dit.".encode())
    assert damaged["mojibake"] is True and damaged["bom"] is None
    bom = describe(codecs.BOM_UTF8 + "Il n’a rien dit.".encode())
    assert bom["bom"] == "efbbbf" and bom["mojibake"] is False
    assert "BOM" in format_description("b.txt", bom)

    assert describe(_png()) == {"binary": "PNG image signature at byte 0"}
    assert (
        format_description("c.png", describe(_png()))
        == "c.png: binary (PNG image signature at byte 0)"
    )


@pytest.mark.parametrize("case", MIXED["mixed"], ids=_mixed_ids)
def test_lines_decode_apart_as_they_do_in_the_stream(case: dict[str, list[list[str]]]) -> None:
    data = b"".join(_encode(text, codec) for text, codec in case["lines"])
    whole = decode(data)
    decoder = StreamDecoder()
    assert decoder.decide(data, final=True) == 0
    lines = decoder.line_decoder()
    assert lines is not None
    ends = [i + 1 for i, byte in enumerate(data) if byte == ord("\n")]
    for cut in ends[:-1]:
        head = lines.decode(data[:cut], 0, final=False)
        tail = lines.decode(data[cut:], cut, final=True)
        assert head.text + tail.text == whole.text
        assert max(head.encodings, tail.encodings, key=len) == whole.encodings
        for part, raw in ((head, data[:cut]), (tail, data[cut:])):
            assert part.exact == (part.text.encode() == raw)


def test_only_a_detected_utf8_stream_decodes_lines_apart() -> None:
    def line_decoder(data: bytes, encoding: str | None = None) -> object:
        decoder = StreamDecoder(encoding)
        decoder.decide(data, final=True)
        return decoder.line_decoder()

    assert line_decoder("naïve\n".encode()) is not None
    assert line_decoder(codecs.BOM_UTF8 + "naïve\n".encode()) is not None
    assert line_decoder("naïve\n".encode(), encoding="utf-8") is None
    assert line_decoder("naïve\n".encode("utf-16")) is None
    assert line_decoder(RUSSIAN.encode("cp1251")) is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fix_bytes("text"), r"fix_bytes\(\) takes bytes, not str; use textmend.fix\(\)"),
        (lambda: decode("text"), r"decode\(\) takes bytes, not str; use textmend.fix\(\)"),
        (lambda: decode(None), r"decode\(\) takes bytes, not NoneType"),
        # bytes(123) would be 123 NUL bytes, and a list of ints would be bytes too.
        (lambda: fix_bytes(123), r"fix_bytes\(\) takes bytes, not int"),
        (lambda: decode([104, 105]), r"decode\(\) takes bytes, not list"),
        (lambda: StreamDecoder().decode("text"), r"decode\(\) takes bytes, not str"),
        (lambda: StreamDecoder().decode(5, final=True), r"decode\(\) takes bytes, not int"),
    ],
)
def test_wrong_types_are_named(call: Callable[[], object], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()


def test_bytes_like_input_is_decoded() -> None:
    assert fix_bytes(bytearray("café".encode())) == "café"
    assert decode(memoryview("café".encode())).text == "café"


def test_an_empty_encoding_name_is_not_taken_for_detection() -> None:
    # encoding=None asks for detection; "" is a name, and no codec has it.
    with pytest.raises(LookupError, match="unknown encoding"):
        decode(b"caf\xe9", encoding="")
    with pytest.raises(LookupError, match="unknown encoding"):
        StreamDecoder("")
