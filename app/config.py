"""One settings object, read from the environment (and an optional `.env` file).

Every limit below can be changed with an environment variable of the same name in upper case
(`MAX_UPLOAD_BYTES=104857600`); docs/security.md lists them with what each one answers.
"""

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "ofsted.sqlite3"
_TOKEN_HASH = re.compile(r"(?:sha256:)?([0-9a-f]{64})")


def _comma_separated(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    # A bad value is named, never printed: API_TOKEN_HASHES may hold a token pasted by
    # mistake, DATABASE_URL a password.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    """SQLAlchemy URL. SQLite (the default, a file under `data/`) or PostgreSQL
    (`postgresql+psycopg://user@host/db`; a bare `postgresql://` URL is accepted too)."""

    sql_echo: bool = False

    # --- who may write ---------------------------------------------------------------------
    api_token_hashes: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """SHA-256 hashes (hex, optionally `sha256:`-prefixed, comma-separated in the
    environment) of the bearer tokens allowed to upload and delete documents. Empty: uploads
    and deletes are disabled. `python -m app.tokens new` makes a token and its hash."""

    # --- request limits --------------------------------------------------------------------
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    """Largest document `POST /documents` accepts (the largest shipped PDF is 0.8 MB)."""
    max_body_bytes: int = Field(default=64 * 1024, ge=0)
    """Largest request body on any other route (none of them reads one)."""
    max_query_bytes: int = Field(default=4096, ge=256)
    """Longest query string (after `?`), in bytes: longer is a 414."""
    max_parameter_length: int = Field(default=500, ge=1)
    """Longest value of any one query parameter, in characters."""
    max_parameter_values: int = Field(default=50, ge=1)
    """Most values one query parameter may be repeated with (`theme=a&theme=b...`)."""
    extraction_timeout_seconds: float = Field(default=60.0, gt=0)
    """Longest the reading and extraction of one document may take (an upload, or each file
    of the seed job): past it the worker process is killed and the document fails, saying so.
    The slowest shipped document takes about 0.2 s (measured in one process here)."""
    max_pdf_inflated_bytes: int = Field(default=100 * 2**20, ge=1)
    """Most that one PDF's compressed streams may inflate to, in all (104857600, 100 MiB;
    the most a shipped PDF inflates to is 2.2 MiB). It is measured a piece at a time before
    the PDF is read, and a PDF past it refused, so a decompression bomb never fills memory."""
    max_pdf_pages: int = Field(default=500, ge=1)
    """Most pages one PDF may have (the longest shipped one has 58): more is refused before
    any page is read."""
    extraction_memory_bytes: int = Field(default=2**30, ge=2**27)
    """Most memory (data: heap and private mappings) the worker process reading one
    document may use (1073741824, 1 GiB; a shipped PDF takes about 45 MB). Past it the
    document is refused: a guard behind MAX_PDF_INFLATED_BYTES for what cannot be measured
    before reading (an encrypted PDF's streams)."""
    statement_timeout_seconds: float = Field(default=5.0, gt=0)
    """Longest a single database statement may run for a request before it is stopped (a
    PostgreSQL statement_timeout; time spent inside SQLite, on SQLite)."""

    header_timeout_seconds: float = Field(default=10.0, gt=0)
    """Longest a client may take to send a request's line and headers, from when it
    connects (or starts its next request): past it the connection is closed (uvicorn with
    `--http app.http.serving:HeaderTimeoutProtocol`, as `make run` and the Dockerfile start it)."""

    # --- capacity --------------------------------------------------------------------------
    worker_threads: int = Field(default=32, ge=1)
    """Threads that run route functions (AnyIO's default limiter); the connection pool is
    sized from this, so a request thread never waits for a database connection."""
    max_concurrent_exports: int = Field(default=8, ge=1)
    """CSV downloads streamed from the database at once (each holds a connection while it
    streams); more wait up to `export_wait_seconds`."""
    export_wait_seconds: float = Field(default=5.0, gt=0)
    """Longest a CSV export waits for one of the others to finish before it is answered
    503 busy (with Retry-After)."""
    export_write_timeout_seconds: float = Field(default=30.0, gt=0)
    """Longest a streamed CSV waits for a client that has stopped reading: past it the
    client is cut off and the export's slot and database connection are freed."""
    pool_timeout_seconds: float = Field(default=10.0, gt=0)
    """Longest a request waits for a database connection before it is answered 503."""

    # --- browsers --------------------------------------------------------------------------
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Origins (comma-separated) whose pages may call the API from a browser; none by
    default (the explorer page is served from the API's own origin)."""

    # --- the sync from Ofsted's reports site (`python -m seed sync`) -----------------------
    sync_base_url: str = "https://reports.ofsted.gov.uk"
    """The reports site: its search page lists the local authorities' children's services
    providers, and each provider's page its publications."""
    sync_file_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["files.ofsted.gov.uk"]
    )
    """Hosts (comma-separated) besides the site's own whose files the sync may fetch: the
    provider pages link each publication there. A link or redirect anywhere else is not
    followed."""
    sync_rate: float = Field(default=1.0, gt=0)
    """Most requests a second the sync makes, all hosts together (`--rate`); a robots.txt
    Crawl-delay or Request-rate slower than this is honoured instead."""
    sync_contact: str = ""
    """An email address or URL where the site's operators can reach whoever runs the sync,
    sent in its User-Agent (`--contact`). Required for any site but one on this machine."""
    sync_timeout_seconds: float = Field(default=30.0, gt=0)
    """Longest the sync waits for a connection, or between two reads of an answer."""
    sync_retries: int = Field(default=4, ge=0)
    """Tries after the first for a request that times out or is answered 429 or 5xx,
    waiting 2, 4, 8, 16... s between them (or what Retry-After asks)."""
    sync_max_retry_after_seconds: float = Field(default=600.0, gt=0)
    """Longest Retry-After the sync waits for; asked to wait longer, it gives that URL up
    for this run."""
    sync_page_size: int = Field(default=100, ge=1, le=100)
    """Results asked for per search page (`rows=`; the site gives at most 100)."""

    _split_hashes = field_validator(
        "api_token_hashes", "cors_origins", "sync_file_hosts", mode="before"
    )(_comma_separated)

    @field_validator("api_token_hashes")
    @classmethod
    def _hex_hashes(cls, hashes: list[str]) -> list[str]:
        normalised = []
        for value in hashes:
            match = _TOKEN_HASH.fullmatch(value.strip().lower())
            if match is None:
                raise ValueError(
                    "each API token hash is the 64 hex digits of a SHA-256 (from "
                    "`python -m app.tokens new`), not the token itself"
                )
            normalised.append(match.group(1))
        return normalised

    @property
    def pool_size(self) -> int:
        """Connections: one per worker thread plus one per streaming export."""
        return self.worker_threads + self.max_concurrent_exports


@lru_cache
def get_settings() -> Settings:
    return Settings()
