"""WARC and WET archives through the real command line.

Archives are built with FastWARC, run through ``python -m textmend`` as a
subprocess, and read back with FastWARC, whose digest checks must pass on
every output.
"""

from __future__ import annotations

import base64
import bz2
import gzip
import hashlib
import io
import json
import lzma
import os
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
from support import DATA, ROOT

import textmend
from textmend.batch.runner import CHUNK_BYTES

CASES = json.loads((DATA / "cli" / "cases.json").read_text(encoding="utf-8"))
DAMAGED = "\n".join(damaged for damaged, _ in CASES["pairs"]) + "\n"
CLEAN = "\n".join(CASES["clean"]) + "\n"


def textmend_cli(
    *args: str | Path, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = env or {}
    path = os.pathsep.join(p for p in (env.get("PYTHONPATH"), str(ROOT / "src")) if p)
    return subprocess.run(
        [sys.executable, "-m", "textmend", *map(str, args)],
        input=stdin,
        capture_output=True,
        env={**os.environ, **env, "PYTHONPATH": path},
        check=False,
    )


def record(
    kind: WarcRecordType,
    content: bytes,
    content_type: str | None,
    payload: bytes | None = None,
    digest: str = "sha1",
) -> bytes:
    """One record written by FastWARC, with its digests (``payload``: an HTTP body)."""
    built = WarcRecord()
    built.init_headers(kind)
    built.headers["WARC-Target-URI"] = "http://example.com/"
    if content_type is not None:
        built.headers["Content-Type"] = content_type
    built.set_bytes_content(content)
    if digest != "sha1":  # FastWARC writes SHA-1; another algorithm is set by hand
        value = hashlib.new(digest, content).hexdigest()
        built.headers["WARC-Block-Digest"] = f"{digest}:{value}"
    out = io.BytesIO()
    body_digest = None if payload is None else hashlib.sha1(payload).digest()
    built.write(out, checksum_data=digest == "sha1", payload_digest=body_digest)
    return out.getvalue()


def http(body: bytes, content_type: str) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s" % (
        content_type.encode(),
        len(body),
        body,
    )


LATIN = "Ã©tÃ© Ã  Paris, cafÃ©\n".encode("cp1252")  # mojibake, in Latin-1 bytes
HTML = "<p>Lâ€™Ã©tÃ© &amp; caf&eacute;</p>".encode()


def archive_records() -> list[bytes]:
    """warcinfo, a WET conversion, HTML and text/plain responses, a SHA-256
    resource, metadata: the text ones damaged."""
    return [
        record(WarcRecordType.warcinfo, b"software: test\r\n", "application/warc-fields"),
        record(WarcRecordType.conversion, DAMAGED.encode(), "text/plain"),
        record(WarcRecordType.response, http(HTML, "text/html"), "application/http", HTML),
        record(
            WarcRecordType.response,
            http(LATIN, "text/plain; charset=ISO-8859-1"),
            "application/http; msgtype=response",
            LATIN,
        ),
        record(WarcRecordType.resource, DAMAGED.encode(), "text/plain", digest="sha256"),
        record(WarcRecordType.metadata, DAMAGED.encode(), "application/warc-fields"),
        record(WarcRecordType.conversion, CLEAN.encode(), "text/plain"),
    ]


# warcinfo, HTML, metadata, a clean conversion
UNTOUCHED = (0, 2, 5, 6)


def members(data: bytes) -> list[bytes]:
    """The gzip members of a file, as they are (each must end where the next starts)."""
    found = []
    while data:
        inflate = zlib.decompressobj(31)
        inflate.decompress(data)
        assert inflate.eof, "a gzip member ends early"
        found.append(data[: len(data) - len(inflate.unused_data)])
        data = inflate.unused_data
    return found


def plain_records(data: bytes) -> list[bytes]:
    """The records of an uncompressed archive, as bytes, cut where FastWARC finds them."""
    starts = [r.stream_pos for r in ArchiveIterator(io.BytesIO(data), parse_http=False)]
    return [data[a:b] for a, b in zip(starts, [*starts[1:], len(data)], strict=True)]


def assert_valid(data: bytes) -> None:
    """Every digest of every record checks, as FastWARC sees them."""
    checked = 0
    for parse_http in (False, True):  # blocks are checked unparsed, payloads parsed
        for found in ArchiveIterator(io.BytesIO(data), parse_http=parse_http):
            if "WARC-Block-Digest" in found.headers and not parse_http:
                assert found.verify_block_digest(), found.headers["WARC-Type"]
                checked += 1
            if "WARC-Payload-Digest" in found.headers and parse_http:
                assert found.verify_payload_digest(), found.headers["WARC-Type"]
                checked += 1
    assert checked


def block(raw: bytes) -> bytes:
    return raw.split(b"\r\n\r\n", 1)[1][:-4]


def header(raw: bytes, name: bytes) -> bytes:
    for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(name.lower() + b":"):
            return line.split(b":", 1)[1].strip()
    raise KeyError(name)


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz", ".warc.wet.gz"])
def test_text_records_are_repaired_and_every_other_byte_kept(tmp_path: Path, suffix: str) -> None:
    raws = archive_records()
    gzipped = suffix.endswith(".gz")
    source = tmp_path / f"crawl{suffix}"
    source.write_bytes(b"".join(gzip.compress(r, mtime=0) if gzipped else r for r in raws))
    out = tmp_path / f"clean{suffix}"
    done = textmend_cli("fix", source, "-o", out)
    assert done.returncode == 0, done.stderr.decode()
    written = out.read_bytes()
    if gzipped:
        pieces = members(written)
        assert len(pieces) == len(raws)  # a member per record: still seekable
        originals = members(source.read_bytes())
        for index in UNTOUCHED:  # copied as they were, compressed bytes and all
            assert pieces[index] == originals[index]
        written = b"".join(gzip.decompress(p) for p in pieces)
    assert_valid(written)
    fixed = plain_records(written)
    assert len(fixed) == len(raws)
    for index in UNTOUCHED:
        assert fixed[index] == raws[index]
    # The WET text and the resource are the text textmend.fix gives.
    for index in (1, 4):
        assert block(fixed[index]).decode() == textmend.fix(DAMAGED)
        assert header(fixed[index], b"WARC-Record-ID") == header(raws[index], b"WARC-Record-ID")
        assert header(fixed[index], b"Content-Length") == str(len(block(fixed[index]))).encode()
    assert block(fixed[1]) != DAMAGED.encode()
    assert header(fixed[4], b"WARC-Block-Digest").startswith(b"sha256:")
    # The text/plain response: its body as UTF-8, its charset said so.
    body = block(fixed[3]).split(b"\r\n\r\n", 1)[1]
    assert body.decode() == textmend.fix(LATIN.decode("latin-1"))
    assert b"Content-Type: text/plain; charset=utf-8" in block(fixed[3])
    assert f"Content-Length: {len(body)}".encode() in block(fixed[3])


def test_check_lists_changes_by_record_and_report_counts_types(tmp_path: Path) -> None:
    raws = archive_records()
    source = tmp_path / "crawl.warc"
    source.write_bytes(b"".join(raws))
    report = tmp_path / "report.json"
    done = textmend_cli("check", "--report", report, source)
    assert done.returncode == 1, done.stderr.decode()
    listed = done.stdout.decode().splitlines()
    offset = len(raws[0])  # the conversion record comes second
    assert any(line.startswith(f"{source}@{offset}:1: ") for line in listed)
    assert not any(f"@{len(b''.join(raws[:2]))}:" in line for line in listed)  # HTML: untouched
    summary = json.loads(report.read_text())
    file = summary["files"][0]
    assert file["format"] == "warc"
    assert file["encodings"] == ["iso8859-1", "utf-8"]
    assert file["record_types"] == {
        "conversion": 2,
        "metadata": 1,
        "resource": 1,
        "response": 2,
        "warcinfo": 1,
    }
    assert file["records"] == len(raws)
    assert file["changed"] == 3
    assert sum(file["steps"].values()) >= 3
    assert summary["total"]["record_types"] == file["record_types"]


@pytest.mark.parametrize(
    ("suffix", "pack", "unpack"),
    [
        (".warc.xz", lzma.compress, lzma.decompress),
        (".warc.bz2", bz2.compress, bz2.decompress),
        # Gzipped whole, as textmend wrote archives before it knew them.
        (".warc.gz", gzip.compress, lambda d: b"".join(map(gzip.decompress, members(d)))),
    ],
)
def test_an_archive_compressed_whole_is_read_and_written_valid(
    tmp_path: Path, suffix: str, pack: Callable[[bytes], bytes], unpack: Callable[[bytes], bytes]
) -> None:
    raws = archive_records()
    source = tmp_path / f"crawl{suffix}"
    source.write_bytes(pack(b"".join(raws)))
    out = tmp_path / f"out{suffix}"
    done = textmend_cli("fix", source, "-o", out)
    assert done.returncode == 0, done.stderr.decode()
    written = unpack(out.read_bytes())
    assert_valid(written)
    fixed = plain_records(written)
    assert [fixed[i] for i in UNTOUCHED] == [raws[i] for i in UNTOUCHED]
    assert block(fixed[1]).decode() == textmend.fix(DAMAGED)
    if suffix == ".warc.gz":  # now a member per record
        assert len(members(out.read_bytes())) == len(raws)


def test_an_archive_is_known_by_its_content_from_a_file_and_from_stdin(tmp_path: Path) -> None:
    raws = archive_records()
    source = tmp_path / "crawl.dat"
    source.write_bytes(b"".join(raws))
    from_file = textmend_cli("fix", source)
    from_stdin = textmend_cli("fix", stdin=source.read_bytes())
    assert from_file.returncode == from_stdin.returncode == 0, from_file.stderr.decode()
    assert from_file.stdout == from_stdin.stdout
    assert_valid(from_file.stdout)
    assert len(plain_records(from_file.stdout)) == len(raws)
    # --format says otherwise: the file is text, and its HTML is repaired as text.
    as_text = textmend_cli("fix", "--format", "text", source)
    assert as_text.returncode == 0, as_text.stderr.decode()
    assert HTML in from_file.stdout
    assert HTML not in as_text.stdout


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_a_truncated_archive_is_reported_and_not_written(tmp_path: Path, suffix: str) -> None:
    raws = archive_records()
    data = b"".join(gzip.compress(r) if suffix == ".warc.gz" else r for r in raws)
    source = tmp_path / f"cut{suffix}"
    source.write_bytes(data[: len(data) - 40])
    out = tmp_path / f"out{suffix}"
    done = textmend_cli("fix", source, "-o", out)
    assert done.returncode == 3
    message = done.stderr.decode()
    assert f"{source}: " in message
    assert "truncated" in message
    assert "byte" in message
    assert not out.exists()


def test_a_corrupt_gzip_member_is_reported_with_its_offset(tmp_path: Path) -> None:
    compressed = [gzip.compress(r) for r in archive_records()]
    damaged = bytearray(compressed[3])
    damaged[len(damaged) // 2 : len(damaged) // 2 + 8] = b"\xff" * 8
    source = tmp_path / "crawl.warc.gz"
    source.write_bytes(b"".join([*compressed[:3], bytes(damaged), *compressed[4:]]))
    out = tmp_path / "out.warc.gz"
    done = textmend_cli("fix", source, "-o", out)
    assert done.returncode == 3
    message = done.stderr.decode()
    assert str(source) in message
    assert f"byte {len(b''.join(compressed[:3]))}" in message
    assert not out.exists()


def test_a_bad_record_is_reported_with_its_offset_and_kept(tmp_path: Path) -> None:
    raws = archive_records()
    # A WET record whose digest does not match its block: damaged before textmend.
    wrong = b"sha1:" + base64.b32encode(hashlib.sha1(b"another block").digest())
    bad = raws[1].replace(header(raws[1], b"WARC-Block-Digest"), wrong)
    assert bad != raws[1]
    source = tmp_path / "crawl.warc"
    source.write_bytes(b"".join([raws[0], bad, *raws[2:]]))
    out = tmp_path / "out.warc"
    report = tmp_path / "report.json"
    done = textmend_cli("fix", source, "-o", out, "--report", report)
    assert done.returncode == 3
    offset = len(raws[0])
    assert f"{source}: record at byte {offset}: " in done.stderr.decode()
    assert "does not match" in done.stderr.decode()
    fixed = plain_records(out.read_bytes())
    assert fixed[1] == bad
    assert fixed[4] != raws[4]  # the records after it are repaired all the same
    problems = json.loads(report.read_text())["files"][0]["problems"]
    assert problems[0]["offset"] == offset


@pytest.mark.slow
def test_jobs_2_writes_what_jobs_1_writes(tmp_path: Path) -> None:
    text = ((DAMAGED + CLEAN) * 25).encode()
    raws = archive_records()
    many = [*raws, *(record(WarcRecordType.conversion, text, "text/plain") for _ in range(400))]
    source = tmp_path / "big.warc"
    source.write_bytes(b"".join(many))
    # Batches of records for two workers to share.
    assert source.stat().st_size > 2 * CHUNK_BYTES
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.warc"
        done = textmend_cli("fix", "--jobs", jobs, source, "-o", out)
        assert done.returncode == 0, done.stderr.decode()
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    fixed = plain_records(outputs[0])
    assert len(fixed) == len(many)
    assert block(fixed[-1]).decode() == textmend.fix(text.decode())


def test_clean_archives_come_back_byte_for_byte(tmp_path: Path) -> None:
    raws = [
        record(WarcRecordType.conversion, f"{line}\n".encode(), "text/plain")
        for line in CASES["clean"]
    ]
    source = tmp_path / "clean.warc.wet.gz"
    source.write_bytes(b"".join(gzip.compress(r) for r in raws))
    out = tmp_path / "out.warc.wet.gz"
    done = textmend_cli("fix", source, "-o", out)
    assert done.returncode == 0, done.stderr.decode()
    assert out.read_bytes() == source.read_bytes()


def test_detect_counts_records_and_their_damage(tmp_path: Path) -> None:
    source = tmp_path / "crawl.warc.gz"
    source.write_bytes(b"".join(gzip.compress(r) for r in archive_records()))
    done = textmend_cli("detect", "--json", source)
    assert done.returncode == 0, done.stderr.decode()
    info = json.loads(done.stdout)
    assert info["format"] == "warc"
    assert info["text_records"] == 4
    assert info["mojibake_records"] == 3
    assert "iso8859-1" in info["encodings"]


def test_without_fastwarc_the_message_names_the_extra(tmp_path: Path) -> None:
    hidden = tmp_path / "hide" / "fastwarc"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('not installed')\n")
    source = tmp_path / "crawl.warc"
    source.write_bytes(b"".join(archive_records()))
    done = textmend_cli("fix", source, env={"PYTHONPATH": str(hidden.parent)})
    assert done.returncode == 3
    assert "pip install 'textmend[warc]'" in done.stderr.decode()
