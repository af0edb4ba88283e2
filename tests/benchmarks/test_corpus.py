"""The damaged corpus: committed cases match the damage model, and the model does what it says."""

from __future__ import annotations

import base64
import html
import importlib
import json
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT))
damage = importlib.import_module("benchmarks.damage")

CASES_FILE = ROOT / "corpus" / "cases.jsonl"
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").split("\n") if line
]
CLEAN = damage.load_clean()


def _by_kind(prefix: str) -> list[dict[str, Any]]:
    found = [c for c in CASES if c["kind"].startswith(prefix)]
    assert found, f"no {prefix} cases"
    return found


def _input(case: dict[str, Any]) -> str | bytes:
    if case["form"] == "bytes":
        return base64.b64decode(case["input_base64"])
    return str(case["input"])


def _reencode(text: str, encoding: str) -> bytes:
    """Undo 'read as encoding' (browser style: C1 controls stand for undefined bytes)."""
    out = b""
    for char in text:
        undefined = 0x80 <= ord(char) <= 0x9F and not damage._encodable(char, encoding)
        out += bytes([ord(char)]) if undefined else char.encode(encoding)
    return out


def test_regeneration_matches_the_committed_cases_byte_for_byte() -> None:
    assert damage.dumps(damage.build_cases()).encode("utf-8") == CASES_FILE.read_bytes()


def test_the_command_regenerates_the_file(tmp_path: Path) -> None:
    out = tmp_path / "cases.jsonl"
    command = [sys.executable, "-m", "benchmarks.damage", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    assert out.read_bytes() == CASES_FILE.read_bytes()


def test_clean_corpus_has_its_languages_and_features() -> None:
    manifest = json.loads((damage.CLEAN / "MANIFEST.json").read_text(encoding="utf-8"))
    on_disk = {p.name for p in damage.CLEAN.glob("*.txt")}
    assert set(manifest["files"]) == on_disk
    assert len(on_disk) >= 80
    assert len({info["language"] for info in manifest["files"].values()}) >= 19
    every = "".join(text for _, text in CLEAN.values())
    for feature in "“”„«»「’–—…€£¥₩₺₽°²\u200d":
        assert feature in every, feature
    for name, (_, text) in CLEAN.items():
        assert 3 <= text.count("\n") <= 8 and text.endswith("\n"), name


def test_cases_file_stays_small_and_ids_are_unique() -> None:
    assert CASES_FILE.stat().st_size < 3_000_000
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_recorded_chain_replays_to_the_input(case: dict[str, Any]) -> None:
    assert case["truth"] == damage.replay(CLEAN[case["source"]][1], case.get("truth_chain", []))
    assert damage.replay(case["truth"], case["chain"]) == _input(case)
    if case["chain"]:
        assert _input(case) != case["truth"]
    assert case["recoverable"] or case["note"]


def test_clean_kind_is_the_truth_unchanged() -> None:
    cases = _by_kind("clean")
    assert len(cases) == len(CLEAN)
    assert all(c["input"] == c["truth"] and c["recoverable"] for c in cases)


def test_mojibake_reencoded_gives_back_the_utf8_bytes() -> None:
    for case in _by_kind("mojibake/"):
        encoding = case["kind"].split("/")[1]
        if "\ufffd" in case["input"]:
            assert encoding == "cp1253"
            continue
        data = _reencode(case["input"], encoding)
        assert data.decode("utf-8") == case["truth"], case["id"]


def test_double_mojibake_peels_off_in_two_layers() -> None:
    for case in _by_kind("double"):
        first, second = case["chain"][1]["encoding"], case["chain"][3]["encoding"]
        once = _reencode(case["input"], second).decode("utf-8")
        assert once != case["truth"]
        assert _reencode(once, first).decode("utf-8") == case["truth"], case["id"]


def test_lossy_variants_really_lose_the_undefined_bytes() -> None:
    undefined = damage._undefined("cp1252")
    for case in _by_kind("lossy-"):
        truth = case["truth"].encode("utf-8")
        marker = {"lossy-drop": b"", "lossy-question": b"?", "lossy-replacement": b"\x00"}
        expected = bytes(
            b"".join(marker[case["kind"]] if b in undefined else bytes([b]) for b in truth)
        )
        damaged = case["input"].replace("\ufffd", "\x00").encode("cp1252")
        assert damaged == expected, case["id"]
        assert any(b in undefined for b in truth)


def test_recoverable_follows_the_documented_rule() -> None:
    pl = frozenset("Łł")
    assert damage.undetermined_sites("Łódź", "cp1252", "drop", pl) == 0
    assert damage.undetermined_sites("сыр", "cp1252", "drop", frozenset("сэя")) == 1
    assert damage.undetermined_sites("x 🏖 y", "cp1252", "drop", frozenset("🏖")) == 1
    assert damage.undetermined_sites("👨\u200d👩", "cp1252", "question", frozenset("”\u200d")) == 0
    lossy = Counter(c["recoverable"] for c in _by_kind("lossy-drop"))
    assert lossy[True] and lossy[False]
    russian = [c for c in CASES if c["language"] == "ru" and c["kind"].startswith("lossy-")]
    assert russian and not any(c["recoverable"] for c in russian)


def test_half_repaired_is_the_shared_sample_chain() -> None:
    for case in _by_kind("half-repaired"):
        damaged, truth = case["input"], case["truth"]
        assert "”" not in damaged
        assert damaged.count("†") == truth.count("” ")
        assert damaged.count("â€") == truth.count("”") - truth.count("” ")
        assert damaged.count("“") == truth.count("“") and damaged.count("’") == truth.count("’")


def test_partial_damage_touches_exactly_one_line() -> None:
    for case in _by_kind("partial"):
        pairs = zip(case["input"].split("\n"), case["truth"].split("\n"), strict=True)
        assert sum(a != b for a, b in pairs) == 1, case["id"]


def test_entities_unescape_to_the_truth() -> None:
    styles = Counter()
    for case in _by_kind("entities"):
        assert html.unescape(case["input"]) == case["truth"]
        styles[case["chain"][0]["style"]] += 1
    assert set(styles) == {"named", "decimal", "hex"}


def test_byte_cases_decode_as_recorded() -> None:
    for case in _by_kind("bom-bytes"):
        data = _input(case)
        assert data[:3] == b"\xef\xbb\xbf" and data.decode("utf-8-sig") == case["truth"]
    for case in _by_kind("utf16-bytes"):
        assert _input(case).decode("utf-16") == case["truth"]
    for case in _by_kind("legacy-bytes"):
        text = _input(case).decode(damage.LEGACY[case["language"]])
        assert (unicodedata.normalize("NFC", text) == case["truth"]) == case["recoverable"]
    for case in _by_kind("mixed-bytes"):
        data = _input(case)
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        legacy = damage.LEGACY[case["language"]]
        lines = data.splitlines(keepends=True)
        wrong = [i for i, ln in enumerate(lines) if "\ufffd" in ln.decode("utf-8", "replace")]
        assert wrong == case["chain"][0]["lines"], case["id"]
        text = "".join(ln.decode(legacy if i in wrong else "utf-8") for i, ln in enumerate(lines))
        assert unicodedata.normalize("NFC", text) == case["truth"]


def test_compose_for_cp1258_keeps_vietnamese_encodable() -> None:
    text = CLEAN["vi-01.txt"][1]
    stored = damage._compose_for_cp1258(text)
    assert stored != text
    assert unicodedata.normalize("NFC", stored.encode("cp1258").decode("cp1258")) == text


def test_unknown_operation_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown damage operation 'rot13'"):
        damage.replay("x", [{"op": "rot13"}])


def _damaged_spans(case: dict[str, Any]) -> list[tuple[int, int]]:
    return [tuple(span) for span in case["chain"][0]["spans"]]


def test_word_damage_reads_only_the_chosen_words_through_a_code_page() -> None:
    short = 0
    for case in (c for c in CASES if c["kind"] in ("words", "typography", "scripts")):
        spans = _damaged_spans(case)
        truth, damaged = case["truth"], case["input"]
        encoding = case["chain"][0]["chain"][1]["encoding"]
        assert len(spans) >= 1 and spans == sorted(spans)
        # Outside the spans the text is the truth; inside, its UTF-8 read as the code page.
        pieces, pos = [], 0
        for start, end in spans:
            word = truth[start:end]
            assert damage._WORD.fullmatch(word) and not word.isascii(), case["id"]
            pieces += [truth[pos:start], damage._decode(word.encode(), encoding, "c1")]
            pos = end
        assert "".join([*pieces, truth[pos:]]) == damaged
        short += any(end - start <= 3 for start, end in spans)
    assert short > len(_by_kind("words"))  # short words are damaged in most cases


def test_typography_damage_sits_beside_correct_typography() -> None:
    for case in _by_kind("typography"):
        truth = case["truth"]
        assert any(damage.beside_typography(truth, *span) for span in _damaged_spans(case))
        assert any(c in case["input"] for c in damage.TYPOGRAPHY)


def test_headlines_and_mixed_scripts_derive_their_truth_from_the_clean_text() -> None:
    for case in [*_by_kind("headline"), *_by_kind("scripts")]:
        first = case["truth"].split("\n")[0]
        clean_first = CLEAN[case["source"]][1].split("\n")[0]
        if case["kind"].startswith("headline"):
            assert first == clean_first.upper() != clean_first
        else:
            assert first.startswith(clean_first + " ")
            scripts = {unicodedata.name(c).split()[0] for c in first if c.isalpha()}
            assert len(scripts) >= 2, case["id"]
    for kind in ("headline/clean", "scripts/clean"):
        assert all(c["input"] == c["truth"] for c in _by_kind(kind))


def test_double_escaping_unescapes_in_two_rounds() -> None:
    for case in _by_kind("escaped-twice"):
        once = html.unescape(case["input"])
        assert once != case["truth"] and html.unescape(once) == case["truth"]


def test_held_out_texts_are_one_per_language_and_another_seed_moves_the_damage() -> None:
    held = {name for name in CLEAN if damage.is_held_out(name)}
    assert {CLEAN[n][0] for n in held} == {language for language, _ in CLEAN.values()}
    other = {c["id"]: c for c in damage.build_cases(damage.HELD_OUT_SEED, held_out=True)}
    assert {c["source"] for c in other.values()} == held
    words = [c for c in CASES if c["kind"] == "words" and c["source"] in held]
    assert any(c["input"] != other[c["id"]]["input"] for c in words)
