"""What a sync did, counted as it goes, and worded at its end."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.loading import LoadResult
from seed.sync.client import PageCounts, RequestCounts
from seed.sync.pages import Provider, Publication


@dataclass(frozen=True, slots=True)
class Listed:
    """A publication with the provider page that lists it."""

    provider: Provider
    publication: Publication
    slug: str | None
    """The register's slug for the provider, if its URN is in the register."""

    @property
    def url(self) -> str:
        return self.publication.url

    def label(self) -> str:
        """ "cheshire-east, children's services inspection, 2024-05-16"."""
        listed = self.publication.listed_date
        return ", ".join(
            part
            for part in (
                self.slug or f"{self.provider.name} (URN {self.provider.urn})",
                self.publication.title,
                listed.isoformat() if listed else None,
            )
            if part
        )

    def filename(self) -> str:
        """The document's filename: `<authority>_<listed date>_<file id>.pdf`."""
        listed = self.publication.listed_date
        return (
            f"{self.slug or 'provider-' + self.provider.urn}_"
            f"{listed.isoformat() if listed else 'undated'}_{self.publication.file_id}.pdf"
        )


@dataclass(slots=True)
class SyncReport:
    providers: int = 0
    listed: int = 0
    new: list[LoadResult] = field(default_factory=list)
    unchanged: int = 0
    still_rejected: int = 0
    """Of the unchanged: publications an earlier sync fetched and could not load."""
    rejected: list[tuple[str, str]] = field(default_factory=list)
    """(what, why) for each publication fetched (or listed) this time and not loaded."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(what, why) for each page or file that could not be fetched."""
    would_fetch: list[Listed] = field(default_factory=list)
    interrupted: bool = False

    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.rejected or self.failed else 0

    def lines(
        self,
        *,
        dry_run: bool,
        requests: RequestCounts,
        pages: PageCounts,
        robots: dict[str, str],
        interval: float,
    ) -> list[str]:
        lines = ["interrupted: what was done before is kept"] if self.interrupted else []
        listed = (
            f"{counted(self.listed, 'publication')} listed by {counted(self.providers, 'provider')}"
        )
        if dry_run:
            lines.append(
                f"dry run: {listed}: {len(self.would_fetch)} to fetch, {self.unchanged} "
                f"unchanged, {len(self.rejected)} rejected, {len(self.failed)} failed to "
                "fetch; no file fetched, nothing loaded"
            )
        else:
            lines.append(
                f"sync: {listed}: {len(self.new)} new, {self.unchanged} unchanged, "
                f"{len(self.rejected)} rejected, {len(self.failed)} failed to fetch"
            )
        if self.still_rejected:
            lines.append(
                f"not loaded: {counted(self.still_rejected, 'publication')} an earlier sync "
                "could not load, unchanged since"
            )
        for heading, entries in (("rejected", self.rejected), ("failed to fetch", self.failed)):
            if entries:
                lines.append(f"{heading}:")
                lines.extend(f"  {what}: {why}" for what, why in entries)
        for site, note in robots.items():
            lines.append(f"robots.txt of {site}: {note}")
        lines.append(
            f"requests: {requests.made} ({requests.conditional} conditional, "
            f"{requests.not_modified} not modified, {requests.retried} retried); pages: "
            f"{pages.read} read, {pages.not_modified} not modified, {pages.changed} new or "
            f"changed; at most one request every {interval:g} s"
        )
        return lines


def counted(number: int, thing: str) -> str:
    return f"{number} {thing}" + ("" if number == 1 else "s")
