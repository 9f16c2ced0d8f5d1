"""The seed job's command line. Thin: it wires files, the extractor and the loader together.

One transaction per document: a document that cannot be read or understood is reported with
its name and the reason, leaves no rows, and the job goes on. The exit code is 0 when every
document loaded (or was already loaded), 1 when some were rejected, and 2 when the job could
not run at all (a usage error, or a database it cannot reach or migrate).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlmodel import col

from app.classifier import ModelError, default_model
from app.config import get_settings
from app.db import get_engine, migrate
from app.extraction import PARSER_VERSION, ExtractionError
from app.extraction.authorities import AuthorityRegister
from app.loading import (
    LoadResult,
    SourceFile,
    already_loaded,
    documents_to_reparse,
    load_authorities,
    no_source,
    store_document,
    store_reparsed,
    stored_source,
)
from app.models import Document
from seed import DOCUMENTS_DIR, REGISTER_CSV
from seed.pipeline import Extraction, Extractor, default_jobs

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


def describe(result: LoadResult) -> str:
    if result.status == "reparsed":
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(result.findings_by_kind.items()))
        return (
            f"reparsed {result.filename}: document {result.document_id}, inspection "
            f"{result.inspection_id}; {result.judgements} judgements; {result.findings} findings"
            + (f" ({kinds})" if kinds else "")
        )
    if result.status == "skipped":
        return f"skipped  {result.filename}: already loaded as document {result.document_id}"
    if result.status == "failed":
        return f"failed   {result.filename}: {result.reason}"
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(result.findings_by_kind.items()))
    joined = "new" if result.inspection_created else "joined"
    return (
        f"loaded   {result.filename}: {result.authority} {result.inspection_type} "
        f"{result.start_date} (inspection {result.inspection_id}, {joined}); "
        f"{result.judgements} judgements; {result.findings} findings"
        + (f" ({kinds})" if kinds else "")
    )


def extractor(jobs: int) -> Extractor:
    """`jobs` worker processes, each document given EXTRACTION_TIMEOUT_SECONDS."""
    return Extractor(jobs, get_settings().extraction_timeout_seconds)


def load_files(
    engine: Engine,
    paths: Sequence[Path],
    register: AuthorityRegister,
    out: TextIO,
    jobs: int = 1,
) -> list[LoadResult]:
    """Load every file: extraction runs in `jobs` worker processes, and each document is
    stored in its own transaction here, in the order the files were given."""
    results: list[LoadResult] = []
    pending: deque[Callable[[], LoadResult]] = deque()

    def finish_one() -> None:
        result = pending.popleft()()
        results.append(result)
        print(describe(result), file=out, flush=True)

    with extractor(jobs) as workers:
        for item in collect(paths):
            pending.append(_start(engine, workers, item))
            while len(pending) > workers.window:
                finish_one()
        while pending:
            finish_one()
    return results


def _start(
    engine: Engine, workers: Extractor, item: FileEntry | tuple[Path, str]
) -> Callable[[], LoadResult]:
    """Begin one file: read it, skip it if already loaded, else hand it to a worker. Returns
    what finishes it (storing the extracted document) when its turn comes."""
    if isinstance(item, tuple):
        path, reason = item
        failed = LoadResult(str(path), "failed", reason=reason)
        return lambda: failed
    name = item.path.name
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        unreadable = LoadResult(
            name, "failed", reason=f"cannot read the file: {exc.strerror or exc}"
        )
        return lambda: unreadable
    source = SourceFile(name, data, item.source_url, item.published)
    with Session(engine) as session:
        existing = already_loaded(session, source.sha256)
    if existing is not None:
        skipped = LoadResult(name, "skipped", reason="already loaded", document_id=existing)
        return lambda: skipped
    extraction = workers.submit(data)
    return lambda: _store(engine, source, extraction())


def _store(engine: Engine, source: SourceFile, extraction: Extraction) -> LoadResult:
    if extraction.document is None:
        return LoadResult(source.filename, "failed", reason=extraction.reason)
    with Session(engine) as session:
        try:
            result = store_document(session, source, source.sha256, extraction.document)
            session.commit()
            return result
        except ExtractionError as exc:
            session.rollback()
            return LoadResult(source.filename, "failed", reason=exc.reason)
        except Exception as exc:  # a bug or a database fault: report it, keep going
            session.rollback()
            return LoadResult(
                source.filename, "failed", reason=f"internal error: {type(exc).__name__}: {exc}"
            )


def reparse(
    engine: Engine, register: AuthorityRegister, everything: bool, out: TextIO, jobs: int = 1
) -> list[LoadResult]:
    """Re-extract, in place, every document an older parser version loaded or an older model
    labelled (or all): each read in a worker process, as a load is, and stored in its own
    transaction."""
    with Session(engine) as session:
        document_ids = documents_to_reparse(
            session, PARSER_VERSION, default_model().version, everything
        )
        names: dict[int, str] = {
            row.id: row.filename
            for row in session.execute(
                select(col(Document.id), col(Document.filename)).where(
                    col(Document.id).in_(document_ids)
                )
            )
        }
    results: list[LoadResult] = []
    with extractor(jobs) as workers:
        for document_id in document_ids:
            result = _reparse_one(engine, workers, document_id, names[document_id])
            results.append(result)
            print(describe(result), file=out, flush=True)
    return results


def _reparse_one(engine: Engine, workers: Extractor, document_id: int, name: str) -> LoadResult:
    with Session(engine) as session:
        content = stored_source(session, document_id)
    if content is None:
        return LoadResult(name, "failed", reason=no_source(document_id), document_id=document_id)
    extraction = workers.submit(content)()
    if extraction.document is None:
        return LoadResult(name, "failed", reason=extraction.reason, document_id=document_id)
    with Session(engine) as session:
        try:
            result = store_reparsed(session, document_id, extraction.document)
            session.commit()
        except ExtractionError as exc:
            session.rollback()
            result = LoadResult(name, "failed", reason=exc.reason, document_id=document_id)
        except Exception as exc:  # keep the old records; report and go on
            session.rollback()
            result = LoadResult(
                name, "failed", reason=f"internal error: {type(exc).__name__}: {exc}"
            )
    return result


def summarise(results: Sequence[LoadResult]) -> str:
    statuses = Counter(result.status for result in results)
    findings = sum(result.findings for result in results)
    judgements = sum(result.judgements for result in results)
    done = ", ".join(
        f"{statuses[status]} {status}"
        for status in ("loaded", "reparsed", "skipped")
        if statuses[status] or status != "reparsed"
    )
    return (
        f"total: {len(results)} documents: {done}, {statuses['failed']} failed; "
        f"{judgements} judgements, {findings} findings"
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
    args = parser.parse_args(argv)

    try:
        default_model()  # read once here, so a missing or broken artefact stops the job at once
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = get_engine()
    register = AuthorityRegister.from_csv(REGISTER_CSV)
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
    if args.command == "reparse":
        results = reparse(engine, register, args.all, out, jobs=args.jobs)
    else:
        paths = args.paths if args.command == "load" else [DOCUMENTS_DIR]
        results = load_files(engine, paths, register, out, jobs=args.jobs)
    print(summarise(results), file=out)
    return 1 if any(result.status == "failed" for result in results) else 0
