"""What a sync is asked to do: its settings and the command's choices, in one record."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from importlib import metadata

from app.config import Settings
from seed.sync.pages import host


@dataclass(frozen=True, slots=True)
class SyncOptions:
    base_url: str
    file_hosts: tuple[str, ...]
    rate: float
    contact: str
    timeout: float
    retries: int
    max_retry_after: float
    page_size: int
    max_bytes: int
    settings: Settings
    """Where the fetched documents are read within (EXTRACTION_TIMEOUT_SECONDS, the PDF and
    memory limits), as the seed job reads its own."""
    authorities: tuple[str, ...] = ()
    """Ofsted URNs of the providers to sync; empty: all of them."""
    dry_run: bool = False
    jobs: int = 1

    @classmethod
    def from_settings(cls, settings: Settings) -> SyncOptions:
        return cls(
            base_url=settings.sync_base_url,
            file_hosts=tuple(settings.sync_file_hosts),
            rate=settings.sync_rate,
            contact=settings.sync_contact,
            timeout=settings.sync_timeout_seconds,
            retries=settings.sync_retries,
            max_retry_after=settings.sync_max_retry_after_seconds,
            page_size=settings.sync_page_size,
            max_bytes=settings.max_upload_bytes,
            settings=settings,
        )

    def but(self, **changes: object) -> SyncOptions:
        return replace(self, **changes)  # type: ignore[arg-type]


def user_agent(contact: str) -> str:
    try:
        version = metadata.version("ofsted-findings")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"ofsted-findings-sync/{version}" + (f" (+{contact})" if contact else "")


def is_this_machine(url: str) -> bool:
    name = host(url)
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False
