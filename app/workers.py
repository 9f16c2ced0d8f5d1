"""Extraction in a process of its own: one document, one process, a time limit.

Reading a PDF and parsing a report is CPU work that needs no database. Each document is
extracted in a child process of its own (forked from a fork server that has the extraction
code loaded, so a start costs milliseconds, not an interpreter's start-up), and the process
that asked waits at most `seconds` for it:

- past the limit the child is killed and the document fails with a reason that says so;
- a child that dies (PDFium crashing on a hostile file) fails only its own document;
- `ExtractionJob.stop()` kills it at once, for a caller that no longer wants the answer (an
  upload whose client went away, a seed job being stopped);
- a child never outlives the process that started it: it watches that process and exits
  the moment it is gone, even after a SIGKILL, and the fork server, once no process it
  served is left, exits too. So neither the seed job nor the server leaves workers behind.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import select
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache, partial
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess

from anyio import to_thread

from app.config import Settings
from app.extraction import (
    ExtractedDocument,
    ExtractionError,
    UnreadableDocument,
    read_and_extract,
)
from app.extraction.authorities import AuthorityRegister
from app.extraction.pdf_streams import size_text
from app.extraction.source import DEFAULT_LIMITS, PdfLimits
from app.intelligence.store import findings_embeddings

OWNER_POLL_SECONDS = 1.0
"""Where the operating system cannot tell a child when its owner exits (no pidfd), how often
the child checks instead."""


class Refusal(StrEnum):
    """Why a document has no extraction, as the API's error codes name it."""

    UNREADABLE = "unreadable_document"
    NOT_A_REPORT = "not_an_ofsted_report"
    TIMEOUT = "extraction_timeout"
    INTERNAL = "internal_error"
    """A parser bug, not the document's fault: the seed job reports it against the file,
    an upload answers 500."""


@dataclass(frozen=True, slots=True)
class Extraction:
    """What a child sends back: the document, or why there is none."""

    document: ExtractedDocument | None
    reason: str | None = None
    refusal: Refusal | None = None


Work = Callable[[bytes], Extraction]


def extract_bytes(
    data: bytes,
    limits: PdfLimits = DEFAULT_LIMITS,
    memory_bytes: int | None = None,
    register: AuthorityRegister | None = None,
) -> Extraction:
    """Read and extract one document, naming its authority from `register` (the shipped one
    by default). With `memory_bytes` (in a worker process only) the process's memory is
    capped first: a document that needs more is refused, whatever PDFium does that the
    measure of a PDF's streams cannot foresee (an encrypted stream)."""
    if memory_bytes is not None:
        _cap_memory(memory_bytes)
    try:
        document = read_and_extract(data, register, limits)
        document.embeddings = findings_embeddings(document)
        return Extraction(document)
    except ExtractionError as exc:
        refusal = (
            Refusal.UNREADABLE if isinstance(exc, UnreadableDocument) else Refusal.NOT_A_REPORT
        )
        return Extraction(None, exc.reason, refusal)
    except MemoryError:
        return out_of_memory(memory_bytes)
    except Exception as exc:  # a parser bug: report it against this file, keep going
        return internal_error(exc)


def _cap_memory(memory_bytes: int) -> None:
    """Cap this process's data (its heap and private mappings, PDFium's included): past
    it an allocation fails, and PDFium stops the process (the document `CRASHED`)."""
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


def extraction_work(settings: Settings, register: AuthorityRegister | None = None) -> Work:
    """What a worker process runs for each document: `extract_bytes` within the settings'
    limits on a PDF (MAX_PDF_INFLATED_BYTES, MAX_PDF_PAGES) and on the worker's memory
    (EXTRACTION_MEMORY_BYTES), against `register` (None: the shipped one, which each child
    reads for itself rather than being sent a copy with every document)."""
    limits = PdfLimits(settings.max_pdf_inflated_bytes, settings.max_pdf_pages)
    return partial(
        extract_bytes,
        limits=limits,
        memory_bytes=settings.extraction_memory_bytes,
        register=register,
    )


def out_of_memory(memory_bytes: int | None) -> Extraction:
    limit = f" of {size_text(memory_bytes)}" if memory_bytes is not None else ""
    return Extraction(
        None,
        f"reading the document needed more memory than the limit{limit} "
        "(EXTRACTION_MEMORY_BYTES) and was stopped",
        Refusal.UNREADABLE,
    )


def internal_error(exc: Exception) -> Extraction:
    return Extraction(None, f"internal error: {type(exc).__name__}: {exc}", Refusal.INTERNAL)


def timed_out(seconds: float) -> Extraction:
    return Extraction(
        None,
        f"reading and extracting the document took longer than the limit of {seconds:g} s "
        "(EXTRACTION_TIMEOUT_SECONDS) and was stopped",
        Refusal.TIMEOUT,
    )


CRASHED = Extraction(
    None, "the file crashed the PDF reader (a damaged or malicious PDF?)", Refusal.UNREADABLE
)


@lru_cache(maxsize=1)
def worker_context() -> BaseContext:
    """Children start from a fork server, never forked from the asking process itself: a
    forked child would hold that process's database connections and threads' locks. (Spawn
    where there is no fork server.) The fork server has the extraction code and the theme
    and polarity model loaded, so a child reads neither again."""
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(
            [__name__, "app.classifier.preloaded", "app.intelligence.preloaded"]
        )
    return context


def _exit_when_gone(owner: int) -> None:
    """In a child: end this process as soon as process `owner` has exited."""
    try:
        handle = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux, or an old kernel): poll
        while True:
            time.sleep(OWNER_POLL_SECONDS)
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
    select.select([handle], [], [])
    os._exit(1)


def _child(owner: int, work: Work, data: bytes, result: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the owner's to handle
    threading.Thread(target=_exit_when_gone, args=(owner,), daemon=True).start()
    try:
        extraction = work(data)
    except Exception as exc:
        extraction = internal_error(exc)
    result.send(extraction)
    result.close()


class ExtractionJob:
    """One document being extracted in a child process, started at once."""

    def __init__(self, data: bytes, work: Work = extract_bytes) -> None:
        context = worker_context()
        self._result, writer = context.Pipe(duplex=False)
        self._process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=_child, args=(os.getpid(), work, data, writer), daemon=True
        )
        self._process.start()
        writer.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def wait(self, seconds: float) -> Extraction:
        """The extraction, or a failure saying why there is none (the child crashed, or
        took longer than `seconds`, when it is killed). The child is gone on return."""
        try:
            if not self._result.poll(seconds):
                return timed_out(seconds)
            return self._receive()
        finally:
            self.stop()

    async def wait_async(self, seconds: float) -> Extraction:
        """`wait` for an event loop: no thread waits while the child works. Cancelling it
        (the client went away) kills the child."""
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        descriptor = self._result.fileno()

        def readable() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(descriptor, readable)
        try:
            try:
                await asyncio.wait_for(ready, seconds)
            except TimeoutError:
                return timed_out(seconds)
            finally:
                loop.remove_reader(descriptor)
            return await to_thread.run_sync(self._receive)  # a large result: off the loop
        finally:
            self.stop()

    def _receive(self) -> Extraction:
        """The result, once the pipe is readable: the extraction, or end of file if the
        child died without sending one."""
        try:
            extraction: Extraction = self._result.recv()
        except (EOFError, OSError):
            return CRASHED
        return extraction

    def kill(self) -> None:
        """Kill the child if it is still running; safe from any thread (the one waiting
        then sees it as crashed)."""
        if self._process.is_alive():
            self._process.kill()

    def stop(self) -> None:
        """Kill the child if it is still running, and reap it (by the waiting thread)."""
        self.kill()
        self._process.join()
        self._result.close()


def extract_isolated(data: bytes, seconds: float, work: Work = extract_bytes) -> Extraction:
    """Extract `data` in a child process, waiting at most `seconds`."""
    return ExtractionJob(data, work).wait(seconds)


__all__ = [
    "CRASHED",
    "Extraction",
    "ExtractionJob",
    "Refusal",
    "Work",
    "extract_bytes",
    "extract_isolated",
    "extraction_work",
    "timed_out",
    "worker_context",
]
