"""A national-scale synthetic corpus, written straight into a fresh database.

The schema comes from the project's own Alembic migrations and the authorities from its own
loader and register (156 authorities); the rows are modelled on the shipped documents:

* inspections per authority and year, 2009-2026, of the types each era had (annual
  contact-referral-assessment visits and SLAC inspections until 2012, the single inspection
  framework until 2017, then ILACS with focused and monitoring visits, and JTAIs);
* one report per inspection, with canonical judgements in the areas its framework grades;
* findings whose kind, section, polarity, themes (with their matched words) and text come
  from a finding of the shipped documents read by the real extractor (`templates`), its
  sentences shuffled and joined with a sentence of another finding of the same kind, so the
  text is real report prose and full-text search finds realistic numbers of rows.

Rows are inserted in bulk (executemany on SQLite, where migration 0003's triggers keep the
FTS5 index in step; COPY on PostgreSQL, where the generated tsvector column is computed on
insert and the GIN index is rebuilt once at the end), inspection by inspection in a shuffled
order, as a seed job loading documents would. The same `--seed` gives the same corpus.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.classifier import default_model
from app.db import make_engine, migrate
from app.extraction import PARSER_VERSION, ExtractionError, extract
from app.extraction.authorities import AuthorityRegister
from app.extraction.reading import read_bytes
from app.loading import load_authorities
from app.models import metadata
from app.store.search import (
    FTS_TABLE,
    FTS_TRIGGERS,
    RANKED_SEARCH_INDEX,
    SEARCH_COLUMN,
    SEARCH_INDEX,
)
from seed import DOCUMENTS_DIR

YEARS = range(2009, 2027)
BATCH = 20_000
GRADES = ("outstanding", "good", "requires-improvement", "inadequate")
GRADE_WEIGHTS = (8, 45, 35, 12)
GRADED_AREAS = {
    "safeguarding-looked-after": ("overall-effectiveness", "capacity-to-improve"),
    "single-inspection": (
        "overall-effectiveness",
        "help-and-protection",
        "children-in-care",
        "adoption",
        "care-leavers",
        "leadership",
        "safeguarding-board",
    ),
    "ilacs": ("overall-effectiveness", "help-and-protection", "children-in-care", "leadership"),
    "child-protection": ("overall-effectiveness", "capacity-to-improve"),
    "looked-after-children": ("overall-effectiveness", "capacity-to-improve"),
}
FINDINGS_WEIGHT = {
    "contact-referral-assessment": 25,
    "safeguarding-looked-after": 160,
    "child-protection": 90,
    "looked-after-children": 90,
    "single-inspection": 170,
    "ilacs": 110,
    "focused-visit": 35,
    "monitoring-visit": 30,
    "jtai": 45,
}
THEME_COLUMNS = ["finding_id", "theme", "rank", "matched", "score"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(‘'\"])")


@dataclass(frozen=True, slots=True)
class Template:
    """A finding of a shipped document, by sentence, with what the extractor said of it."""

    inspection_type: str
    kind: str
    section: str | None
    judgement_area: str | None
    timeframe: str | None
    polarity: str
    polarity_score: float
    sentences: tuple[str, ...]
    themes: tuple[tuple[str, tuple[str, ...], float], ...]


@dataclass(frozen=True, slots=True)
class PlannedInspection:
    id: int
    authority_id: int
    type: str
    start_date: date
    findings: int


def read_templates(cache: Path | None = None) -> list[Template]:
    """Every finding of the shipped documents, read by the real extractor (cached as JSON)."""
    if cache is not None and cache.is_file():
        stored = json.loads(cache.read_text())
        if (stored["parser_version"], stored.get("model_version")) == (
            PARSER_VERSION,
            default_model().version,
        ):
            return [
                Template(
                    *row[:7],
                    tuple(row[7]),
                    tuple((theme, tuple(words), score) for theme, words, score in row[8]),
                )
                for row in stored["templates"]
            ]
    register = AuthorityRegister.from_csv()
    templates: list[Template] = []
    for path in sorted(DOCUMENTS_DIR.iterdir()):
        if path.suffix.lower() not in (".pdf", ".txt"):
            continue
        try:
            document = extract(read_bytes(path.read_bytes()), register)
        except ExtractionError:
            continue
        for finding in document.findings:
            templates.append(
                Template(
                    document.inspection_type.value,
                    finding.kind.value,
                    finding.section,
                    finding.judgement_area.value if finding.judgement_area else None,
                    finding.timeframe.value if finding.timeframe else None,
                    finding.polarity.value,
                    finding.polarity_score,
                    tuple(part for part in _SENTENCE.split(finding.text) if part.strip()),
                    tuple(
                        (match.theme.value, match.matched, match.score) for match in finding.themes
                    ),
                )
            )
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        rows = [
            [t.inspection_type, t.kind, t.section, t.judgement_area, t.timeframe, t.polarity,
             t.polarity_score, list(t.sentences),
             [[theme, list(words), score] for theme, words, score in t.themes]]
            for t in templates
        ]  # fmt: skip
        cache.write_text(
            json.dumps(
                {
                    "parser_version": PARSER_VERSION,
                    "model_version": default_model().version,
                    "templates": rows,
                }
            )
        )
    return templates


def _day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(0, 360))


def plan_inspections(
    rng: random.Random, authority_ids: Sequence[int]
) -> list[tuple[int, str, date]]:
    """(authority id, type, start date) of every inspection, era by era."""
    planned: list[tuple[int, str, date]] = []
    for authority_id in authority_ids:
        for year in YEARS:
            types: list[str] = []
            if year <= 2012:
                types.append("contact-referral-assessment")
                if rng.random() < 0.3:
                    types.append("safeguarding-looked-after")
                if rng.random() < 0.1:
                    types.append(rng.choice(["child-protection", "looked-after-children"]))
            elif year <= 2017:
                if rng.random() < 0.28:
                    types.append("single-inspection")
                if rng.random() < 0.2:
                    types.append("monitoring-visit")
            else:
                if rng.random() < 0.3:
                    types.append("ilacs")
                if rng.random() < 0.5:
                    types.append("focused-visit")
                if rng.random() < 0.15:
                    types.append("monitoring-visit")
            if year >= 2016 and rng.random() < 0.1:
                types.append("jtai")
            planned.extend((authority_id, kind, _day(rng, year)) for kind in types)
    # One inspection per (authority, type, start date): the natural key.
    return sorted(set(planned))


def _finding_counts(rng: random.Random, types: Sequence[str], total: int) -> list[int]:
    weights = [FINDINGS_WEIGHT[kind] * rng.uniform(0.6, 1.4) for kind in types]
    scale = total / sum(weights)
    counts = [max(1, round(weight * scale)) for weight in weights]
    counts[-1] += total - sum(counts)
    while counts[-1] < 1:  # rounding overshot: take the excess from the largest
        largest = counts.index(max(counts))
        counts[largest] -= 1
        counts[-1] += 1
    return counts


def _text(rng: random.Random, template: Template, others: Sequence[Template]) -> str:
    sentences = list(template.sentences)
    rng.shuffle(sentences)
    if rng.random() < 0.6:
        other = rng.choice(others)
        sentences.append(rng.choice(other.sentences))
    return " ".join(sentences)


def _fresh_database(url: str) -> None:
    """Drop and recreate the database at `url` (a SQLite file or a PostgreSQL database)."""
    if url.startswith("sqlite"):
        path = Path(url.split(":///", 1)[1])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from sqlalchemy.engine import make_url

    from app.db import normalise_url

    parsed = make_url(normalise_url(url))
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False))
    with admin.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def generate(
    url: str, findings: int, *, seed: int = 1, cache: Path | None = None, log: Any = print
) -> dict[str, float]:
    """Build a fresh database at `url` holding about `findings` findings. Returns timings."""
    started = time.perf_counter()
    templates = read_templates(cache)
    if not templates:
        raise SystemExit("no findings in the shipped documents: cannot model a corpus")
    by_type: dict[str, list[Template]] = {}
    by_kind: dict[str, list[Template]] = {}
    for template in templates:
        by_type.setdefault(template.inspection_type, []).append(template)
        by_kind.setdefault(template.kind, []).append(template)
    _fresh_database(url)
    engine = make_engine(url)
    migrate(engine)
    register = AuthorityRegister.from_csv()
    with Session(engine) as session:
        load_authorities(session, register.entries)
        session.commit()
    with engine.connect() as connection:
        authority_ids = [row[0] for row in connection.execute(text("SELECT id FROM authorities"))]
    rng = random.Random(seed)
    planned = plan_inspections(rng, sorted(authority_ids))
    counts = _finding_counts(rng, [kind for _a, kind, _d in planned], findings)
    inspections = [
        PlannedInspection(number, authority_id, kind, start, count)
        for number, ((authority_id, kind, start), count) in enumerate(
            zip(planned, counts, strict=True), start=1
        )
    ]
    load_order = list(inspections)
    rng.shuffle(load_order)  # documents arrive in no particular order
    prepared = time.perf_counter()
    log(f"corpus: {len(inspections)} inspections, {findings} findings, {len(templates)} templates")

    _insert_inspections(engine, rng, load_order)
    finding_columns = set(metadata.tables["findings"].c.keys())
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        # Search indexes are built once after the rows, many times faster than row by row:
        # PostgreSQL's GIN index, and SQLite's FTS5 table (its triggers are put back after).
        triggers: list[str] = []
        ranked = False
        if postgres:
            # The rows are made consistent here; skip the per-row foreign key triggers.
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            # The search index the migrations made (RUM where the server has it, else GIN).
            ranked = connection.scalar(
                text("SELECT to_regclass(:name) IS NOT NULL"), {"name": RANKED_SEARCH_INDEX}
            )
            connection.execute(text(f"DROP INDEX IF EXISTS {SEARCH_INDEX}"))
            connection.execute(text(f"DROP INDEX IF EXISTS {RANKED_SEARCH_INDEX}"))
        else:
            triggers = list(
                connection.scalars(
                    text(
                        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                        f"({', '.join(repr(name) for name in FTS_TRIGGERS)})"
                    )
                )
            )
            for name in FTS_TRIGGERS:
                connection.execute(text(f"DROP TRIGGER {name}"))
        writer = _copy_rows if postgres else _executemany
        model_version = default_model().version
        finding_id = 0
        batch: list[tuple[Any, ...]] = []
        theme_batch: list[tuple[Any, ...]] = []
        names = [
            "id", "inspection_id", "document_id", "sequence", "kind", "section",
            "judgement_area", "timeframe", "paragraph", "polarity", "text", "source_start",
            "source_end", "parser_version",
        ]  # fmt: skip
        denormalised = [name for name in ("authority_id", "start_date") if name in finding_columns]
        names += [*denormalised, "polarity_score", "model_version"]
        for inspection in load_order:
            pool = by_type.get(inspection.type) or templates
            position = 0
            for sequence in range(1, inspection.findings + 1):
                template = rng.choice(pool)
                body = _text(rng, template, by_kind[template.kind])
                finding_id += 1
                extra = [
                    inspection.authority_id if name == "authority_id" else inspection.start_date
                    for name in denormalised
                ]
                batch.append(
                    (finding_id, inspection.id, inspection.id, sequence, template.kind,
                     template.section, template.judgement_area, template.timeframe,
                     sequence if template.kind == "narrative" else None, template.polarity,
                     body, position, position + len(body), PARSER_VERSION, *extra,
                     template.polarity_score, model_version)
                )  # fmt: skip
                position += len(body) + 2
                for rank, (theme, words, score) in enumerate(template.themes, start=1):
                    theme_batch.append((finding_id, theme, rank, json.dumps(list(words)), score))
            if len(batch) >= BATCH:
                writer(raw, "findings", names, batch)
                writer(raw, "finding_themes", THEME_COLUMNS, theme_batch)
                batch, theme_batch = [], []
                log(f"corpus: {finding_id} findings written", end="\r")
        writer(raw, "findings", names, batch)
        writer(raw, "finding_themes", THEME_COLUMNS, theme_batch)
        inserted = time.perf_counter()
        if postgres and ranked:
            connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
            connection.execute(
                text(
                    f"CREATE INDEX {RANKED_SEARCH_INDEX} ON findings "
                    f"USING rum ({SEARCH_COLUMN} rum_tsvector_ops)"
                )
            )
        elif postgres:
            connection.execute(
                text(f"CREATE INDEX {SEARCH_INDEX} ON findings USING gin ({SEARCH_COLUMN})")
            )
        else:
            connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
            for sql in triggers:
                connection.execute(text(sql))
    indexed = time.perf_counter()
    _analyse(engine)
    engine.dispose()
    done = time.perf_counter()
    log(f"corpus: {finding_id} findings written" + " " * 10)
    return {
        "findings": finding_id,
        "inspections": len(inspections),
        "prepare_s": prepared - started,
        "insert_s": inserted - prepared,
        "index_s": indexed - inserted,
        "analyse_s": done - indexed,
        "total_s": done - started,
    }


def _insert_inspections(engine: Engine, rng: random.Random, load_order: Sequence[Any]) -> None:
    tables = metadata.tables
    now = datetime.now(UTC)
    inspection_rows, document_rows, judgement_rows, change_rows = [], [], [], []
    for number, inspection in enumerate(load_order, start=1):
        inspection_rows.append(
            {
                "id": inspection.id,
                "authority_id": inspection.authority_id,
                "type": inspection.type,
                "start_date": inspection.start_date,
                "end_date": inspection.start_date + timedelta(days=11),
                "year": inspection.start_date.year,
            }
        )
        document_rows.append(
            {
                "id": inspection.id,
                "inspection_id": inspection.id,
                "filename": f"synthetic-{inspection.id}.pdf",
                "sha256": f"{inspection.id:064x}",
                "title": f"Synthetic {inspection.type} report",
                "kind": "report",
                "letter_date": None,
                "published_date": inspection.start_date + timedelta(days=50),
                "source_url": None,
                "pages": 20,
                "inspectors": [],
                "addressee_name": None,
                "addressee_role": None,
                "parser_version": PARSER_VERSION,
                "loaded_at": now,
                "text": f"Synthetic {inspection.type} report {inspection.id}",
            }
        )
        for area in GRADED_AREAS.get(inspection.type, ()):
            grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
            judgement_rows.append(
                {
                    "inspection_id": inspection.id,
                    "document_id": inspection.id,
                    "area": area,
                    "area_label": area.replace("-", " ").capitalize(),
                    "grade": grade,
                    "grade_label": grade.replace("-", " ").capitalize(),
                    "canonical": True,
                    "source_start": 0,
                    "source_end": 10,
                    "parser_version": PARSER_VERSION,
                }
            )
        change_rows.append(
            {
                "id": number,
                "action": "loaded",
                "document_id": inspection.id,
                "inspection_id": inspection.id,
                "at": now,
            }
        )
    with engine.begin() as connection:
        connection.execute(insert(tables["inspections"]), inspection_rows)
        connection.execute(insert(tables["documents"]), document_rows)
        connection.execute(insert(tables["judgements"]), judgement_rows)
        connection.execute(insert(tables["changes"]), change_rows)


def _executemany(raw: Any, table: str, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    marks = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"
    cursor = raw.cursor()
    cursor.executemany(sql, [_sqlite_row(row) for row in rows])
    cursor.close()


def _sqlite_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(value.isoformat() if isinstance(value, date) else value for value in row)


def _copy_rows(raw: Any, table: str, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _analyse(engine: Engine) -> None:
    """Sequences past the ids written here, and planner statistics, as after any bulk load."""
    if engine.dialect.name == "postgresql":
        with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
            for table in ("inspections", "documents", "findings", "changes"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "
                        f"FROM {table}"
                    )
                )
            connection.execute(text("VACUUM ANALYZE"))
        return
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
