"""What changes when documents are loaded, updated or deleted, on every backend: the data
version and ETag, the change feed, and the search index kept in step."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import migrate
from app.extraction.authorities import AuthorityRegister
from app.loading import SourceFile, record_change
from app.main import create_app
from app.models import Document, Finding
from app.pipeline import load_document
from tests.api.helpers import get
from tests.conftest import SEED_FILES, load_seed_documents


def test_loads_change_the_version_the_feed_and_the_search(
    empty_engine: Engine, register: AuthorityRegister
) -> None:
    migrate(empty_engine)
    load_seed_documents(empty_engine, register, SEED_FILES[:4])
    client = TestClient(create_app(empty_engine))

    first = client.get("/findings?q=exploitation")
    assert first.headers["etag"] == '"0.1.0.4.json"'
    before = first.json()["total"]
    current = {"If-None-Match": '"0.1.0.4.json"'}
    assert client.get("/findings?q=exploitation", headers=current).status_code == 304
    feed = get(client, "/changes?since=0&limit=3")
    assert [(c["version"], c["action"], c["document"]["filename"]) for c in feed["items"]] == [
        (1, "loaded", "000_ea24617dd7a18d2f.txt"),
        (2, "loaded", "001_ea5071c6fb35de9d.txt"),
        (3, "loaded", "002_840fe968f2e3c99a.txt"),
    ]
    assert (feed["total"], feed["version"], feed["next"]) == (4, 4, "/changes?limit=3&since=3")

    # The full 2013 report joins the inspection its summary for children began.
    path = SEED_FILES[4]
    with Session(empty_engine) as session:
        source = SourceFile(path.name, path.read_bytes(), published=date(2013, 5, 2))
        load_document(session, source, register)
        session.commit()

    stale = client.get("/findings?q=exploitation", headers={"If-None-Match": '"0.1.0.4.json"'})
    assert stale.status_code == 200
    assert stale.headers["etag"] == '"0.1.0.5.json"'
    assert stale.json()["total"] > before  # the new findings are searchable at once
    assert get(client, "/changes?since=4") == {
        "items": [
            {
                "version": 5,
                "action": "loaded",
                "at": get(client, "/changes?since=4")["items"][0]["at"],
                "document_id": 5,
                "inspection_id": 4,
                "document": {
                    "id": 5,
                    "filename": "004_00ec88477df05a0b.txt",
                    "title": "Inspection of local authority arrangements for the protection of "
                    "children",
                    "kind": "report",
                    "letter_date": None,
                    "published_date": "2013-05-02",
                    "published_source": "manifest",
                    "source_url": None,
                },
                "inspection": {
                    "id": 4,
                    "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
                    "type": "child-protection",
                    "start_date": "2013-03-11",
                    "year": 2013,
                },
            }
        ],
        "total": 1,
        "limit": 50,
        "next": None,
        "version": 5,
    }
    assert get(client, "/changes?since=5")["items"] == []
    # Publication dates: the report was published in May 2013, its summary has no date.
    assert get(client, "/findings?published_from=2013-05-01&limit=1")["total"] == 62
    assert get(client, "/findings?published_to=2013-05-01&limit=1")["total"] == 0
    assert [i["id"] for i in get(client, "/inspections?published_from=2013-01-01")["items"]] == [4]


def test_updates_and_deletes_keep_search_in_step(
    empty_engine: Engine, register: AuthorityRegister
) -> None:
    migrate(empty_engine)
    load_seed_documents(empty_engine, register, SEED_FILES[:1])
    client = TestClient(create_app(empty_engine))
    assert get(client, "/findings?q=frobnicated")["total"] == 0
    with Session(empty_engine) as session:
        session.execute(update(Finding).where(Finding.id == 2).values(text="A frobnicated text."))
        record_change(session, "reparsed", 1, 1)
        session.commit()
    found = get(client, "/findings?q=frobnicated")
    assert [(f["id"], f["snippet"]) for f in found["items"]] == [
        (2, "A <mark>frobnicated</mark> text.")
    ]
    assert get(client, '/findings?q="management oversight"')["total"] == 1
    with Session(empty_engine) as session:
        session.execute(delete(Document).where(Document.id == 1))
        record_change(session, "deleted", 1, 1)
        session.commit()
    assert get(client, "/findings?q=frobnicated")["total"] == 0
    assert get(client, "/findings?q=social")["total"] == 0
    feed = get(client, "/changes?since=1")
    assert [(c["version"], c["action"], c["document"]) for c in feed["items"]] == [
        (2, "reparsed", None),
        (3, "deleted", None),
    ]
    assert client.get("/findings").headers["etag"] == '"0.1.0.3.json"'
