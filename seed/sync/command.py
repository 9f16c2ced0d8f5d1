"""The `sync` command's options: argparse in, `SyncOptions` out, or a usage error."""

from __future__ import annotations

import argparse
import difflib

from app.config import Settings
from app.extraction.authorities import AuthorityRegister
from seed.sync.options import SyncOptions, is_this_machine


class UsageError(Exception):
    pass


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of requests a second above 0")
    return value


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = commands.add_parser(
        "sync",
        help="find the local authorities' children's services reports on Ofsted's reports "
        "site and load the ones not loaded yet",
        description="Read the reports site's search and provider pages and load every "
        "publication not loaded yet (see README, 'Keeping up with Ofsted'). Settings: "
        "SYNC_BASE_URL, SYNC_RATE, SYNC_CONTACT, SYNC_FILE_HOSTS, SYNC_TIMEOUT_SECONDS, "
        "SYNC_RETRIES.",
    )
    sync.add_argument(
        "--authority",
        action="append",
        default=[],
        metavar="SLUG",
        help="only this authority (its slug, e.g. cheshire-east); repeat or comma-separate "
        "for several",
    )
    sync.add_argument(
        "--dry-run",
        action="store_true",
        help="read the site's pages and list the files it would fetch; fetch none, load nothing",
    )
    sync.add_argument(
        "--rate",
        type=_positive,
        metavar="N",
        help="at most N requests a second (default SYNC_RATE, 1)",
    )
    sync.add_argument(
        "--contact",
        metavar="EMAIL_OR_URL",
        help="where the site's operators can reach you, sent in the User-Agent (default "
        "SYNC_CONTACT; required for any site but one on this machine)",
    )
    sync.add_argument(
        "--base-url",
        metavar="URL",
        help="the reports site (default SYNC_BASE_URL, https://reports.ofsted.gov.uk)",
    )


def options_from(
    args: argparse.Namespace, settings: Settings, register: AuthorityRegister
) -> SyncOptions:
    options = SyncOptions.from_settings(settings)
    base_url = (args.base_url or options.base_url).rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise UsageError(f"the base URL must start with http:// or https://, not '{base_url}'")
    contact = (args.contact if args.contact is not None else options.contact).strip()
    if not contact and not is_this_machine(base_url):
        raise UsageError(
            "say who is asking: set SYNC_CONTACT (or --contact) to an email address or URL "
            "where the site's operators can reach you; it is sent in the User-Agent"
        )
    by_slug = {entry.slug: entry.ofsted_urn for entry in register.entries}
    slugs = [slug.strip() for value in args.authority for slug in value.split(",")]
    unknown = [slug for slug in slugs if slug and slug not in by_slug]
    if unknown:
        near = difflib.get_close_matches(unknown[0], list(by_slug), n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UsageError(
            f"unknown authority '{unknown[0]}'{hint} (the slugs are the register's, as "
            "GET /authorities lists them)"
        )
    return options.but(
        base_url=base_url,
        contact=contact,
        rate=args.rate or options.rate,
        authorities=tuple(dict.fromkeys(by_slug[slug] for slug in slugs if slug)),
        dry_run=args.dry_run,
        jobs=args.jobs,
    )
