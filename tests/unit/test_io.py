"""The readers and writers under the CLI, in process."""

from __future__ import annotations

import io
import lzma
import os
import random
import stat
import struct
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import zstandard

from textmend.batch import sinks
from textmend.io import jsonl, tabular
from textmend.io.atomic import AtomicFile
from textmend.io.compression import CompressionError, compressing, decompressing
from textmend.io.lines import blocks, lines

TEXT = "one\r\ntwo\n\n\nthree Ã©\r\nfour" * 7


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 1000])
def test_lines_and_blocks_do_not_depend_on_chunk_boundaries(size: int) -> None:
    chunks = [TEXT[i : i + size] for i in range(0, len(TEXT), size)]
    assert list(lines(chunks)) == list(lines([TEXT]))
    assert "".join(lines(chunks)) == TEXT
    cut = list(blocks(chunks, size))
    assert "".join(cut) == TEXT
    assert all(block.endswith("\n") for block in cut[:-1])


def test_csv_records_keep_quoted_line_breaks_and_malformed_ones() -> None:
    text = 'a,b\r\n"x\ny",1\r\n"bad"q,2\r\nlast,3'
    dialect = tabular.Dialect(",")
    raws = list(tabular.records(lines([text]), dialect))
    assert raws == ["a,b\r\n", '"x\ny",1\r\n', '"bad"q,2\r\n', "last,3"]
    assert tabular.parse(raws[1], dialect) == ["x\ny", "1"]
    with pytest.raises(ValueError, match="malformed CSV record"):
        tabular.parse(raws[2], dialect)


def test_csv_quote_all_is_kept_for_changed_records() -> None:
    dialect = tabular.sniff('"id","text"\n"1","a"\n', tsv=False)
    fixed = tabular.fix_record('"1","a"\n', dialect, (1,), str.upper)
    assert fixed == '"1","A"\n'


def test_jsonl_paths_go_through_lists_and_leave_keys() -> None:
    raw = '{"Ã©": [{"t": "Ã©"}, {"t": 1}], "u": "Ã©"}'
    fixed = jsonl.fix_record(raw, (("Ã©", "t"),), lambda s: s.replace("Ã©", "é"))
    assert fixed == '{"Ã©": [{"t": "é"}, {"t": 1}], "u": "Ã©"}'
    assert jsonl.fix_record(raw, (("none",),), str.upper) is raw
    with pytest.raises(ValueError, match="malformed JSON"):
        jsonl.fix_record("{nope}\n", (), str.upper)
    with pytest.raises(ValueError, match=r"delimiter \(column 10\)"):
        jsonl.fix_record('{"a": "x"\r\n', (), str.upper)


def test_jsonl_paths_match_escaped_keys_and_every_duplicate() -> None:
    raw = '{"caf\\u00e9": "x", "t": "x", "t": "x", "u": "x"}\n'
    fixed = jsonl.fix_record(raw, (("café",), ("t",)), str.upper)
    assert fixed == '{"caf\\u00e9": "X", "t": "X", "t": "X", "u": "x"}\n'


def test_atomic_file_abort_leaves_target_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_text("old")
    target.chmod(0o640)
    out = AtomicFile(target)
    out.stream.write(b"new, half written")
    out.abort()
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]
    out = AtomicFile(target)
    out.stream.write(b"new")
    out.commit(backup=tmp_path / "t.txt.bak")
    assert target.read_text() == "new"
    assert (tmp_path / "t.txt.bak").read_text() == "old"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640


def test_atomic_file_handed_to_disk_early_keeps_every_byte(tmp_path: Path) -> None:
    """Writeback started while bytes still wait in the stream's buffer, and
    while the file is written past it, loses and reorders nothing."""
    target = tmp_path / "big.bin"
    pieces = [bytes([n % 251]) * (3 << 20 if n % 2 else 700) for n in range(12)]
    out = AtomicFile(target)
    for piece in pieces:
        out.stream.write(piece)
        out.start_writeback()
    out.commit()
    assert target.read_bytes() == b"".join(pieces)


@pytest.mark.parametrize("compression", ["gzip", "bz2", "xz", "zstd"])
def test_compression_round_trip(compression: str) -> None:
    raw = io.BytesIO()
    stream = compressing(raw, compression)
    stream.write(b"payload " * 1000)
    stream.close()
    assert not raw.closed
    assert decompressing(io.BytesIO(raw.getvalue()), compression).read() == b"payload " * 1000


def test_zstd_reads_every_frame() -> None:
    frames = b"".join(zstandard.ZstdCompressor().compress(p) for p in (b"one\n", b"two\n"))
    assert decompressing(io.BytesIO(frames), "zstd").read() == b"one\ntwo\n"


def test_zstd_passes_over_skippable_frames_and_reads_in_any_pieces() -> None:
    rng = random.Random(7)
    parts = [bytes(rng.choices(b"abc \n", k=rng.randrange(1, 200_000))) for _ in range(3)]
    skippable = struct.pack("<II", 0x184D2A50, 4) + b"meta"
    packed = skippable.join(zstandard.ZstdCompressor().compress(part) for part in parts)
    stream = decompressing(io.BytesIO(packed), "zstd")
    pieces = iter(lambda: stream.read(rng.randrange(1, 100_000)), b"")
    assert b"".join(pieces) == b"".join(parts)


@pytest.mark.parametrize("cut", [1, 100, 5000])
def test_a_truncated_zstd_stream_is_an_error_not_a_short_read(cut: int) -> None:
    # zstandard's own reader returns what it has at the cut, silently.
    text = "".join(f"line {n} {n * n}\n" for n in range(20_000)).encode()
    packed = zstandard.ZstdCompressor().compress(text)
    with pytest.raises(EOFError, match="truncated"):
        decompressing(io.BytesIO(packed[:-cut]), "zstd").read()


def test_xz_padding_between_streams_is_read() -> None:
    packed = lzma.compress(b"one\n") + bytes(8) + lzma.compress(b"two\n")
    assert decompressing(io.BytesIO(packed), "xz").read() == b"one\ntwo\n"
    assert decompressing(io.BytesIO(bytes(8)), "xz").read() == b""


@pytest.mark.parametrize("compression", ["gzip", "bz2", "xz", "zstd"])
def test_an_empty_compressed_file_is_an_error_not_empty_text(compression: str) -> None:
    # Compressed empty text is not empty; an empty file was cut at its start.
    with pytest.raises(EOFError, match="empty"):
        decompressing(io.BytesIO(b""), compression).read()


def test_zstd_without_zstandard_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zstandard", None)
    with pytest.raises(CompressionError, match=r"textmend\[zstd\]"):
        decompressing(io.BytesIO(b""), "zstd")


def test_copier_writes_spans_with_their_edits_through_a_pipe(tmp_path: Path) -> None:
    """More pieces than one ``writev`` takes, more bytes than a pipe holds:
    everything arrives, in order, through the direct path and the other."""
    source = tmp_path / "in.txt"
    source.write_bytes(b"".join(b"line %06d\n" % n for n in range(40_000)))
    span = (11, 11 * 39_000)
    # Every other line's number becomes longer or goes; one edit at each end.
    edits = [(11, 15, b"LINE")] + [
        (11 * n + 5, 11 * n + 11, b"#" * (n % 7)) for n in range(2, 39_000, 2)
    ]
    edits.append((11 * 39_000 - 1, 11 * 39_000, b"!"))
    data = source.read_bytes()
    expected = bytearray()
    position = span[0]
    for start, stop, fixed in edits:
        expected += data[position:start] + fixed
        position = stop
    expected += data[position : span[1]]
    for direct in (True, False):
        read, write = os.pipe()
        with ThreadPoolExecutor(1) as reader:
            received = reader.submit(_read_all, read)
            with os.fdopen(write, "wb") as out:
                copier = sinks._Copier(out, direct)
                copier.copy(source, span, edits)
                copier.close()
            assert received.result() == bytes(expected)
        os.close(read)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)
