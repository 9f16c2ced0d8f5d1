"""`python -m seed sync`: read Ofsted's reports site and load what is not loaded yet.

1. The search pages give the providers (one per local authority's children's services).
2. Each provider page gives its publications; the listing is kept (`site_publications`).
3. Each publication not loaded before is fetched and loaded through the seed job's own
   queue (`app.pipeline.LoadQueue`: one transaction per document, a file already loaded is
   skipped by its sha256, a file that is not a report is rejected with the reason), its outcome
   written in the document's own transaction. A publication loaded before is not asked
   for again; one rejected before is asked for conditionally (unless the parser has
   changed since); one that could not be fetched is tried again.

Pages are asked for conditionally once read (`site_pages`), so a second sync of an
unchanged site makes only conditional requests and loads nothing. Stopped at any point
(Ctrl-C, a crash, a kill), a rerun carries on: nothing committed is fetched or loaded twice.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.extraction import PARSER_VERSION
from app.extraction.authorities import AuthorityRegister
from app.loading import LoadResult, SourceFile
from app.pipeline import LoadQueue, Record, extractor
from app.vocabulary import FetchOutcome, PublishedSource
from seed.results import describe
from seed.sync.client import FetchFailed, PoliteClient, Validators
from seed.sync.limiter import Clock, IntervalLimiter, SystemClock
from seed.sync.options import SyncOptions, user_agent
from seed.sync.pages import (
    Provider,
    host,
    parse_provider_page,
    parse_search_page,
    search_url,
)
from seed.sync.plan import Action, Planned, not_a_pdf, plan
from seed.sync.progress import Progress, progress_for
from seed.sync.records import (
    DatabasePages,
    Outcome,
    documents_by_source_url,
    publications_by_url,
    record_outcome,
    save_listing,
)
from seed.sync.report import Listed, SyncReport, counted

MOST_SEARCH_PAGES = 50
"""A stop for a site that ignored `start=` and gave the same page for ever."""


def default_clock() -> Clock:
    return SystemClock()


@dataclass
class Sync:
    engine: Engine
    register: AuthorityRegister
    options: SyncOptions
    out: TextIO
    err: TextIO = field(default_factory=lambda: sys.stderr)
    clock: Clock = field(default_factory=lambda: default_clock())
    report: SyncReport = field(default_factory=SyncReport)

    def run(self) -> int:
        options = self.options
        limiter = IntervalLimiter(options.rate, self.clock)
        client = PoliteClient(
            user_agent=user_agent(options.contact),
            limiter=limiter,
            allowed_hosts={host(options.base_url), *options.file_hosts},
            timeout=options.timeout,
            retries=options.retries,
            max_retry_after=options.max_retry_after,
            pages=DatabasePages(self.engine, keep=not options.dry_run),
        )
        progress = progress_for(self.out, self.err)
        try:
            with client:
                try:
                    providers = self._providers(client, progress)
                except FetchFailed as exc:
                    progress.close()
                    print(
                        f"error: cannot read the site's search page: {exc.reason}",
                        file=self.err,
                    )
                    return 2
                listed = self._listings(client, providers, progress)
                plan = self._plan(listed)
                if options.dry_run:
                    self._list(plan, progress)
                else:
                    self._fetch_and_load(client, plan, progress)
        except KeyboardInterrupt:
            self.report.interrupted = True
        finally:
            progress.close()
        robots = {site: rules.note for site, rules in client.robots.items()}
        for line in self.report.lines(
            dry_run=options.dry_run,
            requests=client.counts,
            pages=client.page_counts,
            robots=robots,
            interval=limiter.interval,
        ):
            print(line, file=self.out)
        return self.report.exit_code()

    # --- 1. the providers ------------------------------------------------------------------

    def _providers(self, client: PoliteClient, progress: Progress) -> list[Provider]:
        """Every provider the search lists: pages are asked for from the offset after the
        last result until one adds none (so a site that gives fewer results a page than
        asked loses none of them)."""
        rows = self.options.page_size
        found: dict[str, Provider] = {}
        start, pages = 0, 0
        while pages < MOST_SEARCH_PAGES:
            url = search_url(self.options.base_url, start, rows)
            listed = parse_search_page(client.page(url), url)
            pages += 1
            new = [provider for provider in listed if provider.urn not in found]
            if not new:
                break
            found.update((provider.urn, provider) for provider in new)
            start += len(listed)
        if not found:
            raise FetchFailed(
                f"{search_url(self.options.base_url, 0, rows)} lists no providers (links to "
                "/provider/<n>/<urn>): has the site changed its pages?"
            )
        progress.line(f"search: {counted(len(found), 'provider')} on {counted(pages, 'page')}")
        if not self.options.authorities:
            return list(found.values())
        chosen = [found[urn] for urn in self.options.authorities if urn in found]
        slugs = {entry.ofsted_urn: entry.slug for entry in self.register.entries}
        for urn in self.options.authorities:
            if urn not in found:
                self.report.failed.append(
                    (f"{slugs.get(urn, urn)} (URN {urn})", "not among the providers the site lists")
                )
        return chosen

    # --- 2. their publications ----------------------------------------------------------

    def _listings(
        self, client: PoliteClient, providers: list[Provider], progress: Progress
    ) -> list[Listed]:
        slugs = {entry.ofsted_urn: entry.slug for entry in self.register.entries}
        before = client.page_counts.not_modified
        listed: list[Listed] = []
        seen: set[str] = set()
        read = 0
        progress.stage("provider pages", len(providers))
        for provider in providers:
            try:
                text = client.page(provider.url)
            except FetchFailed as exc:
                what = f"provider page {provider.url} ({provider.name})"
                self.report.failed.append((what, exc.reason))
                progress.line(f"not read {what}: {exc.reason}")
                continue
            finally:
                progress.step()
            read += 1
            # A file two provider pages list is the first one's (and fetched once).
            publications = [
                item for item in parse_provider_page(text, provider.url) if item.url not in seen
            ]
            seen.update(item.url for item in publications)
            if not self.options.dry_run:
                with Session(self.engine) as session:
                    save_listing(session, provider, publications, datetime.now(UTC))
                    session.commit()
            listed.extend(Listed(provider, item, slugs.get(provider.urn)) for item in publications)
        self.report.providers = len(providers)
        self.report.listed = len(listed)
        if read and not listed and not self.options.authorities:
            self.report.failed.append(
                (
                    "the provider pages",
                    "none lists any publication (links of class publication-link): has the "
                    "site changed its pages?",
                )
            )
        progress.line(
            f"providers: {counted(read, 'page')} read "
            f"({client.page_counts.not_modified - before} not modified); "
            f"{counted(len(listed), 'publication')} listed"
        )
        return listed

    # --- 3. what to fetch -----------------------------------------------------------------

    def _plan(self, listed: list[Listed]) -> list[Planned]:
        with Session(self.engine) as session:
            records = publications_by_url(session, [item.url for item in listed])
            documents = documents_by_source_url(session)
        return plan(listed, records, documents)

    def _settle(self, planned: Planned, progress: Progress) -> bool:
        """Account for a publication that needs no request; False if it needs one."""
        item = planned.listed
        if planned.action in (Action.KNOWN, Action.LISTED_BEFORE):
            self.report.unchanged += 1
        elif planned.action == Action.LINK:
            self.report.unchanged += 1
            if not self.options.dry_run:
                self._write(item.url, Outcome(FetchOutcome.LOADED, document_id=planned.document_id))
        elif planned.action == Action.NOT_A_PDF:
            self.report.rejected.append((f"{item.label()} ({item.url})", not_a_pdf(item)))
            progress.line(f"rejected {item.url} ({item.label()}): {not_a_pdf(item)}")
            if not self.options.dry_run:
                self._write(item.url, Outcome(FetchOutcome.NOT_FETCHED, not_a_pdf(item)))
        else:
            return False
        return True

    def _list(self, plan: list[Planned], progress: Progress) -> None:
        for planned in plan:
            if not self._settle(planned, progress):
                self.report.would_fetch.append(planned.listed)
                item = planned.listed
                how = " (if changed)" if planned.action == Action.ASK else ""
                progress.line(f"would fetch {item.url}{how} ({item.label()})")

    # --- 4. fetch and load ----------------------------------------------------------------

    def _fetch_and_load(
        self, client: PoliteClient, plan: list[Planned], progress: Progress
    ) -> None:
        to_fetch = [planned for planned in plan if not self._settle(planned, progress)]
        by_filename = {planned.listed.filename(): planned.listed for planned in to_fetch}
        progress.stage("files", len(to_fetch))

        def loaded(result: LoadResult) -> None:
            progress.step()
            progress.line(describe(result))
            if result.status == "loaded":
                self.report.new.append(result)
            elif result.status == "skipped":
                self.report.unchanged += 1
            else:
                item = by_filename[result.filename]
                what = f"{item.label()} ({item.url})"
                self.report.rejected.append((what, result.reason or "not loaded"))

        with extractor(self.options.settings, self.options.jobs, self.register) as workers:
            queue = LoadQueue(self.engine, workers, loaded)
            for planned in to_fetch:
                item = planned.listed
                try:
                    answer = client.get(
                        item.url, planned.validators, max_bytes=self.options.max_bytes
                    )
                except FetchFailed as exc:
                    self._write(item.url, Outcome(FetchOutcome.NOT_FETCHED, exc.reason), at=True)
                    self.report.failed.append((f"{item.label()} ({item.url})", exc.reason))
                    progress.line(f"not fetched {item.url} ({item.label()}): {exc.reason}")
                    progress.step()
                    continue
                if answer.not_modified:  # rejected before, and the same file still
                    self.report.unchanged += 1
                    self.report.still_rejected += 1
                    progress.step()
                    continue
                source = SourceFile(
                    item.filename(),
                    answer.body,
                    item.url,
                    item.publication.listed_date,
                    PublishedSource.SITE,
                )
                queue.add(source, self._recorder(item, source, answer.validators))
            queue.drain()

    def _recorder(self, item: Listed, source: SourceFile, validators: Validators) -> Record:
        def record(session: Session, result: LoadResult) -> None:
            if result.status in ("loaded", "skipped"):
                outcome = Outcome(
                    FetchOutcome.LOADED,
                    document_id=result.document_id,
                    sha256=source.sha256,
                    validators=validators,
                )
            else:
                # A rejection is the file's: the same file is asked for conditionally next
                # time, unless the parser changes. A fault of this machine's (a parser bug,
                # the time limit) is not, and the file is fetched in full again.
                reason = result.reason or ""
                ours = reason.startswith("internal error") or "EXTRACTION_TIMEOUT" in reason
                outcome = Outcome(
                    FetchOutcome.REJECTED,
                    result.reason,
                    sha256=source.sha256,
                    validators=validators,
                    parser_version=None if ours else PARSER_VERSION,
                )
            record_outcome(session, item.url, outcome, datetime.now(UTC))

        return record

    def _write(self, url: str, outcome: Outcome, *, at: bool = False) -> None:
        with Session(self.engine) as session:
            record_outcome(session, url, outcome, datetime.now(UTC) if at else None)
            session.commit()
