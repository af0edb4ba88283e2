"""The command line: ``textmend fix``, ``check``, ``explain`` and ``detect``.

>>> main(["explain", "caf&eacute;"])
1:4: html_entities: '&eacute;' -> 'é'
0
"""

from __future__ import annotations

import _thread
import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from textmend import __version__
from textmend.api import explain
from textmend.batch.archives import ArchiveCheckSink, ArchiveSink
from textmend.batch.detect import (
    describe,
    describe_archive,
    format_archive_description,
    format_description,
)
from textmend.batch.executors import ClusterError, executors, usable_cores
from textmend.batch.report import write_report
from textmend.batch.runner import (
    Input,
    Progress,
    Settings,
    describe_error,
    find_files,
    read_errors,
    run,
)
from textmend.batch.sinks import CheckSink, DiffSink, FileSink, Sink, StdoutSink
from textmend.decoding import decode, text_encoding
from textmend.io.compression import compression_of, decompressing
from textmend.io.formats import FORMATS, format_of
from textmend.io.warc import is_archive
from textmend.profiles import DEFAULT_PROFILE, PROFILES, Profile, get_profile
from textmend.steps import STEPS

EXIT_OK = 0
EXIT_CHANGES = 1
EXIT_USAGE = 2
EXIT_ERRORS = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

_EXIT_CODES = """\
exit codes:
  0    done, no input had errors (check: nothing would change)
  1    check only: something would change
  2    usage error (bad option or argument), or --dask cannot be used: no
       'distributed' package, the scheduler cannot be reached, or a worker
       cannot run textmend
  3    some input had errors: a malformed record, or a file that could not
       be read, decoded or written (reported on stderr; the rest was done)
  130  interrupted
  141  the reader of standard output went away (as in '| head')"""

_MAIN_EPILOG = f"""\
examples:
  textmend fix scraped.txt > clean.txt
  textmend fix --in-place --backup .orig archive/
  textmend fix -o clean/ --glob '*.jsonl.gz' --field text --report report.json raw/
  textmend check content/
  textmend explain 'It&rsquo;s â€œbrokenâ€'
  textmend detect mystery.txt

Run 'textmend COMMAND --help' for the options of each command.

{_EXIT_CODES}"""

_FIX_EPILOG = f"""\
examples:
  textmend fix page.txt                      repaired text on stdout
  cat page.txt | textmend fix > clean.txt    stdin to stdout
  textmend fix notes.jsonl.gz -o clean.jsonl.gz --field body --field meta.title
  textmend fix --format csv --column comment -o out.csv export.dat
  textmend fix -o clean/ raw/                mirror the tree raw/ into clean/
  textmend fix --in-place --backup .orig --glob '*.txt' corpus/
  textmend fix --diff article.txt            what would change, as a unified diff
  textmend fix --profile safe --disable nfc --jobs 4 big.jsonl -o big.clean.jsonl
  textmend fix --dask tcp://scheduler:8786 -o clean/ raw/

Formats follow the suffix (.txt and others: text, .jsonl/.ndjson, .csv, .tsv,
.warc/.wet, each optionally .gz, .bz2, .xz or .zst) or, for a WARC file, its
content; --format overrides it. Output is UTF-8, with a byte-order mark where
the input began with one. In a WARC or WET archive (needs 'textmend[warc]')
only the text records are repaired, and the output is a valid archive: see
docs/warc.md.
A summary line is printed on stderr at the end when stderr is a terminal.

{_EXIT_CODES}"""

_CHECK_EPILOG = f"""\
Prints FILE:LINE: step: before -> after for every change fix would make,
and writes nothing.

examples:
  textmend check docs/
  textmend check --glob '*.md' --profile safe site/
  textmend check --field title --field body posts.jsonl

{_EXIT_CODES}"""

_EXPLAIN_EPILOG = """\
Prints LINE:COLUMN: step: before -> after for every change, or 'nothing to
change'. Lines end at '\\n'; both count from 1, and COLUMN counts characters
(code points): a tab or an emoji is one column. --json prints one object per
change (none if nothing changes) and adds START and END, offsets in TEXT
(from 0).

examples:
  textmend explain 'caf&eacute; menu'
  echo 'doesnâ€™t' | textmend explain -
  textmend explain --json --profile safe 'â€œquotedâ€'"""

_DETECT_EPILOG = f"""\
Prints, per file, the encodings it was decoded with, the confidence, whether
it mixes encodings, and whether its text shows mojibake (the 'mojibake' step
would change it; HTML entities, control characters and lossy residue do not
count: 'textmend check' lists them). Each file is read whole.

examples:
  textmend detect page.txt
  textmend detect --json --glob '*.csv' exports/

{_EXIT_CODES}"""


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _encoding(text: str) -> str:
    if text != "auto":
        try:
            text_encoding(text)
        except LookupError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _add_profile_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("repair steps")
    group.add_argument(
        "--profile",
        default=DEFAULT_PROFILE,
        choices=sorted(PROFILES),
        help=f"the named set of steps to run (default: {DEFAULT_PROFILE})",
    )
    steps = ", ".join(STEPS)
    group.add_argument(
        "--enable",
        action="append",
        default=[],
        metavar="STEP",
        help=f"also run STEP (repeatable); steps: {steps}",
    )
    group.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="STEP",
        help="do not run STEP (repeatable)",
    )


def _add_glob_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--glob",
        action="append",
        default=[],
        metavar="PATTERN",
        help="in directories, only files whose name matches (repeatable; default: all "
        "files that are not hidden)",
    )


def _add_batch_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories (searched recursively); '-' or none: standard input",
    )
    reading = parser.add_argument_group("reading")
    reading.add_argument(
        "--format", choices=FORMATS, help="the record format (default: from the file suffix)"
    )
    reading.add_argument(
        "--encoding",
        default="auto",
        type=_encoding,
        help="input encoding, or 'auto' to detect it (default: auto)",
    )
    _add_glob_option(reading)
    reading.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME",
        help="JSONL: repair this field; dots go into nested objects, e.g. meta.title "
        "(repeatable; default: every string value, keys untouched)",
    )
    reading.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="NAME",
        help="CSV/TSV: repair this column, by header name or 1-based number "
        "(repeatable; default: every field)",
    )
    reading.add_argument(
        "--on-error",
        choices=("keep", "skip", "fail"),
        default="keep",
        help="a malformed JSON line or CSV record is kept unchanged, skipped, or stops "
        "the run without writing that file's output (default: keep); it is always "
        "reported as FILE:LINE: problem",
    )
    running = parser.add_argument_group("running")
    running.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help=f"worker processes, at most the usable CPUs (default: all, here {usable_cores()})",
    )
    running.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="send the work to the Dask scheduler at ADDRESS (e.g. tcp://host:8786) "
        "instead of local processes; needs 'textmend[dask]' here and the same "
        "textmend on the workers",
    )
    running.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary line"
    )
    running.add_argument(
        "--report",
        metavar="FILE.json",
        help="write per-file and total counts (records, changed, changes per step, errors)",
    )
    _add_profile_options(parser)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="textmend",
        description="Repair damaged text: mojibake, HTML entities, control characters.",
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"textmend {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fix = _command(
        commands,
        "fix",
        _fix,
        "repair files or standard input",
        "Repair text, JSONL and CSV/TSV files, or standard input.",
        _FIX_EPILOG,
    )
    _add_batch_options(fix)
    writing = fix.add_argument_group("writing (default: standard output)")
    writing.add_argument(
        "-o",
        "--output",
        metavar="FILE|DIR",
        help="write to FILE ('-' for standard output), or into DIR mirroring the input "
        "tree (DIR when it exists, ends with '/', or there are several inputs or a directory)",
    )
    writing.add_argument(
        "-i",
        "--in-place",
        action="store_true",
        help="replace each file with its repair, a new file with the same owner, group and "
        "mode: other hard links to it keep the original (a file rewritten in place could "
        "be left half written)",
    )
    writing.add_argument(
        "--backup",
        metavar="SUFFIX",
        help="with --in-place, keep the original as FILE+SUFFIX (only for files that change)",
    )
    writing.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what would change; write nothing",
    )

    check = _command(
        commands,
        "check",
        _check,
        "list what fix would change; exit 1 if anything",
        "List what fix would change, without writing anything.",
        _CHECK_EPILOG,
    )
    _add_batch_options(check)

    explainer = _command(
        commands,
        "explain",
        _explain,
        "show each change made to a piece of text",
        "Show each change fix makes to TEXT, with the step that made it.",
        _EXPLAIN_EPILOG,
    )
    explainer.add_argument("text", metavar="TEXT", help="the text, or '-' for standard input")
    explainer.add_argument("--json", action="store_true", help="print the changes as JSON")
    _add_profile_options(explainer)

    detect = _command(
        commands,
        "detect",
        _detect,
        "report the encodings of files and whether they hold mojibake",
        "Report how files decode and whether their text shows mojibake.",
        _DETECT_EPILOG,
    )
    detect.add_argument("paths", nargs="*", metavar="PATH", help="files or directories; '-': stdin")
    _add_glob_option(detect)
    detect.add_argument("--json", action="store_true", help="one JSON object per file")
    return parser


def _command(
    commands: Any, name: str, run: Callable[..., int], summary: str, description: str, epilog: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        with _terminate_cleanly():
            code: int = args.run(args, parser)
    except KeyboardInterrupt:
        print("textmend: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as Unix tools do,
        # and keep Python from complaining when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """Let SIGTERM unwind like Ctrl-C, so temporary files are removed.

    Python drops an exception raised inside a finaliser (Dask's futures have
    them), so an interrupt that lands in one is raised again a moment later.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    def dropped(unraisable: sys.UnraisableHookArgs) -> None:
        if not issubclass(unraisable.exc_type, KeyboardInterrupt):
            previous_hook(unraisable)
            return
        again = threading.Timer(0.01, _interrupt_main)
        again.daemon = True
        again.start()

    previous = signal.signal(signal.SIGTERM, interrupt)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = dropped
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        sys.unraisablehook = previous_hook


def _interrupt_main() -> None:
    """Send SIGTERM to the main thread, so that it wakes from a blocking wait."""
    if hasattr(signal, "pthread_kill"):
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGTERM)
    else:  # Windows: no waking, the signal is seen when the wait ends
        _thread.interrupt_main(signal.SIGTERM)


def _profile(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Profile:
    """The profile with --disable applied, then --enable.

    Disabling first lets a profile trade one step for its opposite
    (``--profile ascii --disable straighten_quotes --enable curl_quotes``).
    """
    both = sorted(set(args.enable) & set(args.disable))
    if both:
        parser.error(f"--enable and --disable both name {', '.join(both)}")
    try:
        return get_profile(args.profile).disable(*args.disable).enable(*args.enable)
    except ValueError as error:
        parser.error(str(error))


def _sources(
    paths: list[str], globs: list[str], backup: str | None = None, output: str | None = None
) -> Iterator[tuple[Path | None, Path]]:
    """Each input as (path or None for stdin, its path relative to what was named).

    In directories, the backups an earlier ``--in-place --backup`` left are
    not inputs, nor is what an earlier run wrote into ``output`` inside them.
    """
    for name in paths or ["-"]:
        if name == "-":
            yield None, Path("<stdin>")
            continue
        path = Path(name)
        if path.is_dir():
            for found in find_files(path, globs, None if output is None else Path(output)):
                if not (backup and found.name.endswith(backup)):
                    yield found, found.relative_to(path)
        else:
            yield path, Path(path.name)


def _fix(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.diff and (args.output or args.in_place):
        parser.error("--diff writes nothing; it cannot go with -o or --in-place")
    if args.in_place and args.output:
        parser.error("choose one of -o and --in-place")
    if args.backup and not args.in_place:
        parser.error("--backup goes with --in-place")
    if args.output == "-":
        args.output = None  # as without -o; not a file named '-'
    sources = list(_sources(args.paths, args.glob, args.backup, args.output))
    if args.in_place and any(path is None for path, _ in sources):
        parser.error("--in-place needs files, not standard input")
    into_dir = args.output is not None and (
        Path(args.output).is_dir()
        or args.output.endswith(("/", os.sep))
        or len(sources) > 1
        or any(Path(name).is_dir() for name in args.paths)
    )
    if into_dir and any(path is None for path, _ in sources):
        parser.error("standard input needs -o FILE, not a directory")
    if into_dir:
        # Inputs from different places may have the same relative path: the
        # later output would replace the earlier one without a word.
        first: dict[Path, Path] = {}
        for path, relative in sources:
            assert path is not None
            earlier = first.setdefault(relative, path)
            if os.path.realpath(earlier) != os.path.realpath(path):
                target = Path(args.output) / relative
                parser.error(f"{earlier} and {path} would both be written to {target}")

    def sink_for(path: Path | None, relative: Path) -> Callable[[Input], Sink]:
        if args.diff:
            return lambda item: DiffSink(item.name)
        if args.in_place:
            assert path is not None
            # Through a symlink: the file it points to is repaired, and the
            # link stays a link (renaming over it would replace it with a copy).
            # A loop is left to fail as it is read.
            real = Path(os.path.realpath(path))
            backup = real.with_name(real.name + args.backup) if args.backup else None
            return lambda item: _file_sink(item, real, compression_of(path.name), backup, True)
        if args.output is None:
            return lambda item: (
                ArchiveSink.to_stdout() if item.format == "warc" else StdoutSink(item.bom)
            )
        target = Path(args.output) / relative if into_dir else Path(args.output)
        return lambda item: _file_sink(item, target, compression_of(target.name))

    return _batch(args, parser, sources, sink_for, "fix")


def _file_sink(
    item: Input, path: Path, compression: str | None, backup: Path | None = None, keep: bool = False
) -> Sink:
    if item.format == "warc":
        return ArchiveSink.to_file(path, compression, backup, keep)
    return FileSink(path, compression, backup, keep, item.bom)


def _check_sink(item: Input) -> Sink:
    return ArchiveCheckSink(item.name) if item.format == "warc" else CheckSink(item.name)


def _check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    sources = list(_sources(args.paths, args.glob))
    return _batch(args, parser, sources, lambda path, rel: _check_sink, "check")


def _batch(
    args: argparse.Namespace,
    parser: argparse.ArgumentParser,
    sources: list[tuple[Path | None, Path]],
    sink_for: Callable[[Path | None, Path], Callable[[Input], Sink]],
    command: str,
) -> int:
    if args.dask and args.jobs:
        parser.error("--jobs and --dask do not go together: with --dask, the cluster works")
    cores = usable_cores()
    if args.jobs and args.jobs > cores:
        print(
            f"textmend: --jobs {args.jobs} is more than the {cores} usable CPUs: using {cores}",
            file=sys.stderr,
        )
    settings = Settings(
        profile=_profile(args, parser),
        encoding=None if args.encoding == "auto" else args.encoding,
        fields=tuple(tuple(f.split(".")) for f in args.field),
        columns=tuple(args.column),
        on_error=args.on_error,
        steps=args.report is not None,
        details=command == "check",
        # Dask workers may not see this file system; a diff needs the text.
        spans=args.dask is None and not getattr(args, "diff", False),
        sniff=args.format is None,
    )
    inputs = [
        Input(
            name="-" if path is None else str(path),
            path=path,
            format=args.format or ("text" if path is None else format_of(path.name)),
            make_sink=sink_for(path, relative),
        )
        for path, relative in sources
    ]
    interactive = sys.stderr.isatty() and not args.quiet
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        try:
            make_executor, window = stack.enter_context(
                executors(args.dask, args.jobs, settings.profile)
            )
        except ClusterError as error:
            print(f"textmend: {error}", file=sys.stderr)
            return EXIT_USAGE
        progress = Progress(_total_bytes(inputs), enabled=interactive)
        try:
            run(inputs, settings, make_executor, window, progress)
        finally:
            progress.close()
    errors = sum(i.problems + (i.error is not None) for i in inputs)
    if args.report:
        try:
            write_report(Path(args.report), inputs, command, settings.profile)
        except OSError as error:
            print(f"{args.report}: cannot write the report: {error}", file=sys.stderr)
            errors += 1
    changed = sum(i.changed for i in inputs)
    if interactive:
        records = sum(i.records for i in inputs)
        verb = "would change" if command == "check" or args.diff else "changed"
        print(
            f"textmend: {len(inputs)} files, {records:,} records, {changed:,} {verb}, "
            f"{errors:,} errors in {time.monotonic() - started:.1f} s",
            file=sys.stderr,
        )
    if errors:
        return EXIT_ERRORS
    return EXIT_CHANGES if command == "check" and changed else EXIT_OK


def _total_bytes(inputs: list[Input]) -> int | None:
    total = 0
    for item in inputs:
        if item.path is None:
            return None
        with contextlib.suppress(OSError):
            total += item.path.stat().st_size
    return total


def _explain(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    text = args.text
    if text == "-":
        try:
            text = decode(sys.stdin.buffer.read()).text
        except read_errors() as error:
            print(f"-: {describe_error(error)}", file=sys.stderr)
            return EXIT_ERRORS
    changes = explain(text, _profile(args, parser))
    out = []
    for change in changes:
        line = text.count("\n", 0, change.start) + 1
        column = change.start - (text.rfind("\n", 0, change.start) + 1) + 1
        if args.json:
            out.append(
                json.dumps({"line": line, "column": column, **vars(change)}, ensure_ascii=False)
            )
        else:
            out.append(f"{line}:{column}: {change.step}: {change.before!r} -> {change.after!r}")
    if not changes and not args.json:
        out.append("nothing to change")
    _print_utf8(out, args.json)
    return EXIT_OK


def _print_utf8(lines: list[str], as_json: bool) -> None:
    """Print lines as UTF-8 whatever the locale, as all output.

    Bytes of an argument or a file name that are not UTF-8 come as lone
    surrogates, which UTF-8 cannot hold. In JSON they are written as their
    escape (``\\udce9``), which reads back as the same name; in plain text
    as the bytes they were, as ``check`` and ``--diff`` write file names.
    """
    text = "".join(f"{line}\n" for line in lines)
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # stdout replaced by a text stream (redirect_stdout, doctest)
        sys.stdout.write(text)
    else:
        stream.write(text.encode("utf-8", "backslashreplace" if as_json else "surrogateescape"))
        stream.flush()


def _detect(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    errors = 0
    for path, _ in _sources(args.paths, args.glob):
        name = "-" if path is None else str(path)
        try:
            if path is None:
                data = sys.stdin.buffer.read()
            else:
                with (
                    path.open("rb") as raw,
                    decompressing(raw, compression_of(path.name)) as stream,
                ):
                    data = stream.read()
        except read_errors() as error:
            print(f"{name}: {describe_error(error)}", file=sys.stderr)
            errors += 1
            continue
        archive = is_archive(data)
        try:
            info = describe_archive(data) if archive else describe(data)
        except read_errors() as error:  # an archive cut short, or no FastWARC
            print(f"{name}: {describe_error(error)}", file=sys.stderr)
            errors += 1
            continue
        if args.json:
            _print_utf8([json.dumps({"path": name, **info}, ensure_ascii=False)], True)
        else:
            show = format_archive_description if archive else format_description
            _print_utf8([show(name, info)], False)
    return EXIT_ERRORS if errors else EXIT_OK
