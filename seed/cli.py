"""The seed job's command line. Thin: it finds the files and hands them to the one load
path (`app.pipeline`), which reads, extracts, labels and stores each.

One transaction per document: a document that cannot be read or understood is reported with
its name and the reason, leaves no rows, and the job goes on. The exit code is 0 when every
document loaded (or was already loaded), 1 when some were rejected (or, for `sync`, could
not be fetched), 2 when the job could not run at all (a usage error, a database it cannot
reach or migrate, a site whose search page it cannot read), and 130 when `sync` was stopped
with Ctrl-C.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import pipeline
from app.classifier import ModelError, default_model
from app.config import get_settings
from app.db import get_engine, migrate
from app.extraction import PARSER_VERSION
from app.extraction.authorities import AuthorityRegister, default_register
from app.intelligence.embedding import embedding_model
from app.intelligence.store import refresh_embeddings
from app.loading import LoadResult, SourceFile, load_authorities
from app.pipeline import Extractor, LoadQueue, default_jobs
from seed import DOCUMENTS_DIR
from seed.results import describe, summarise
from seed.sync import Sync
from seed.sync import command as sync_command

DOCUMENT_SUFFIXES = {".pdf", ".txt"}
OTHER_DOCUMENT_SUFFIXES = {".doc", ".docx", ".odt", ".rtf", ".htm", ".html", ".zip"}
"""Files a folder may hold that look like reports but are not PDF or text: each is read
and rejected with what it is ("the file is a Word document (.docx) ..."), never skipped in
silence."""
MANIFEST = "manifest.csv"


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: Path
    source_url: str | None = None
    published: date | None = None


def read_manifest(folder: Path) -> dict[str, tuple[str | None, date | None]]:
    """`manifest.csv` beside documents: file, source_url, published (YYYY-MM-DD)."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    entries: dict[str, tuple[str | None, date | None]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = (row.get("file") or "").strip()
            if not name:
                continue
            published_text = (row.get("published") or "").strip()
            try:
                published = date.fromisoformat(published_text) if published_text else None
            except ValueError:
                published = None
            entries[name] = ((row.get("source_url") or "").strip() or None, published)
    return entries


def collect(paths: Sequence[Path]) -> Iterator[FileEntry | tuple[Path, str]]:
    """Files to load, in order: a folder's .pdf and .txt files (and the Office documents,
    web pages and archives that get there by mistake) sorted by name; a file as given. A
    path that does not exist, or a folder with nothing to load, comes back as (path,
    reason)."""
    for path in paths:
        if path.is_dir():
            manifest = read_manifest(path)
            children = [
                child
                for child in sorted(path.iterdir())
                if child.is_file()
                and child.suffix.lower() in DOCUMENT_SUFFIXES | OTHER_DOCUMENT_SUFFIXES
            ]
            if not children:
                yield path, "nothing to load: the folder has no .pdf or .txt documents"
            for child in children:
                url, published = manifest.get(child.name, (None, None))
                yield FileEntry(child, url, published)
        elif path.is_file():
            url, published = read_manifest(path.parent).get(path.name, (None, None))
            yield FileEntry(path, url, published)
        else:
            yield path, "no such file or folder"


def extractor(jobs: int, register: AuthorityRegister) -> Extractor:
    """`jobs` worker processes within the settings' limits (`app.pipeline.extractor`)."""
    return pipeline.extractor(get_settings(), jobs, register)


def load_files(
    engine: Engine,
    paths: Sequence[Path],
    register: AuthorityRegister,
    out: TextIO,
    jobs: int = 1,
) -> list[LoadResult]:
    """Load every file, its authority named from `register`: extraction runs in `jobs`
    worker processes, and each document is stored in its own transaction here, in the order
    the files were given."""
    results: list[LoadResult] = []

    def finished(result: LoadResult) -> None:
        results.append(result)
        print(describe(result), file=out, flush=True)

    with extractor(jobs, register) as workers:
        queue = LoadQueue(engine, workers, finished)
        for item in collect(paths):
            queue.add(read_source(item))
        queue.drain()
    return results


def read_source(item: FileEntry | tuple[Path, str]) -> SourceFile | LoadResult:
    """A file's bytes with what its manifest says of it, or why it cannot be read."""
    if isinstance(item, tuple):
        path, reason = item
        return LoadResult(str(path), "failed", reason=reason)
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        return LoadResult(
            item.path.name, "failed", reason=f"cannot read the file: {exc.strerror or exc}"
        )
    return SourceFile(item.path.name, data, item.source_url, item.published)


def reparse(
    engine: Engine, register: AuthorityRegister, everything: bool, out: TextIO, jobs: int = 1
) -> list[LoadResult]:
    """Re-extract, in place, every document an older parser version loaded or an older model
    labelled (or all), each read in a worker process as a load is (`app.pipeline.reparse`)."""

    def finished(result: LoadResult) -> None:
        print(describe(result), file=out, flush=True)

    with extractor(jobs, register) as workers:
        return pipeline.reparse(
            engine, workers, PARSER_VERSION, default_model().version, everything, finished
        )


def prepare(engine: Engine, register: AuthorityRegister, out: TextIO) -> None:
    migrate(engine)
    with Session(engine) as session:
        changed = load_authorities(session, register.entries)
        session.commit()
    print(
        f"authorities: {len(register.entries)} in the register, {changed} added or updated",
        file=out,
    )


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m seed",
        description="Migrate the database, load the authority register, and load Ofsted "
        "reports (PDF or text). With no command, loads the shipped documents.",
    )
    commands = parser.add_subparsers(dest="command")
    parser.add_argument(
        "--jobs",
        type=int,
        default=default_jobs(),
        metavar="N",
        help="extract documents in N worker processes (default: one per core)",
    )
    load = commands.add_parser("load", help="load files or folders of .pdf and .txt documents")
    load.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    again = commands.add_parser(
        "reparse",
        help="re-extract, in place, the documents loaded by an older parser version or "
        "labelled by an older theme and polarity model",
    )
    again.add_argument(
        "--all", action="store_true", help="re-extract every document, whatever its version"
    )
    sync_command.add_command(commands)
    args = parser.parse_args(argv)

    try:
        default_model()  # read once here, so a missing or broken artefact stops the job at once
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = get_engine()
    register = default_register()
    if args.command == "sync":
        try:
            options = sync_command.options_from(args, get_settings(), register)
        except sync_command.UsageError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        prepare(engine, register, out)
    except SQLAlchemyError as exc:
        url = engine.url.render_as_string(hide_password=True)
        print(
            f"error: cannot prepare the database at {url}: {exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0]}",
            file=sys.stderr,
        )
        return 2
    if args.command == "sync":
        return Sync(engine, register, options, out).run()
    if args.command == "reparse":
        results = reparse(engine, register, args.all, out, jobs=args.jobs)
    else:
        paths = args.paths if args.command == "load" else [DOCUMENTS_DIR]
        results = load_files(engine, paths, register, out, jobs=args.jobs)
    # Findings stored before migration 0010, or embedded by another model: computed now.
    refreshed = refresh_embeddings(engine)
    if refreshed:
        print(f"embeddings: {refreshed} computed ({embedding_model().version})", file=out)
    print(summarise(results), file=out)
    return 1 if any(result.status == "failed" for result in results) else 0
