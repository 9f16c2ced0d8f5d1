"""The FastAPI application: read-only queries over Ofsted inspection findings.

uvicorn app.main:app        # OpenAPI at /openapi.json, docs at /docs, explorer at /
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from app.classifier import default_model
from app.config import Settings, get_settings
from app.db import get_engine
from app.http.auth import authorise, protects
from app.http.caching import conditional_get, install_caching
from app.http.errors import ErrorDetail, UnknownParameter, install_error_handlers
from app.http.middleware import install_guards, lifespan
from app.http.pages import install_pages
from app.http.readiness import SchemaGate, require_current_schema
from app.routes import (
    authorities,
    changes,
    clock,
    documents,
    findings,
    inspections,
    intelligence,
    judgements,
    stats,
    vocabularies,
)
from app.store.authorities import AuthorityIndex
from app.store.coverage import CoverageCache
from app.workers import extraction_work

DESCRIPTION = """
Ofsted's inspections of English local authorities' children's services, as data: every
inspection, its graded judgements, and the individual findings of its reports and letters
(strengths, weaknesses, recommendations with timeframes, narrative paragraphs), each with its
themes and the exact passage it came from.

* Lists are paginated: `{items, total, limit, next}`; follow `next` (a path and query) until
  it is null.
* Filters combine with AND; a repeated parameter is OR within its filter.
* An unknown parameter or value is a 422 whose message names the valid values.
* Responses may gain new keys; existing keys keep their meaning.

Source: Ofsted inspection reports, Crown copyright, under the Open Government Licence v3.0.
"""

ROUTERS = tuple(
    module.router
    for module in (
        inspections,
        judgements,
        findings,
        intelligence,
        stats,
        authorities,
        clock,
        documents,
        changes,
        vocabularies,
    )
)

_allowed_parameters: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters a route declares: a query model's fields (`app.params`) or plain
    parameters, through its dependencies."""
    names: set[str] = set()
    for field in dependant.query_params:
        model = field.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            names |= {info.alias or name for name, info in model.model_fields.items()}
        else:
            names.add(field.alias)
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


def _parameters_of(route: APIRoute) -> frozenset[str]:
    cached = _allowed_parameters.get(id(route))
    if cached is None:
        cached = frozenset(_query_names(route.dependant))
        _allowed_parameters[id(route)] = cached
    return cached


async def reject_unknown_parameters(request: Request) -> None:
    """An unknown query parameter is a 422, never silently ignored; on a route that needs
    an operator token, after the token is checked."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    if protects(route):
        await authorise(request)
    allowed = _parameters_of(route)
    unknown = sorted({key for key in request.query_params if key not in allowed})
    if unknown:
        valid = ", ".join(sorted(allowed)) or "none"
        raise UnknownParameter(
            f"unknown parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}; "
            f"this endpoint accepts: {valid}",
            [
                ErrorDetail(parameter=key, message="unknown parameter", input=None)
                for key in unknown
            ],
        )


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="Ofsted findings API",
        version="0.1.0",
        description=DESCRIPTION,
        dependencies=[
            Depends(reject_unknown_parameters),
            Depends(require_current_schema),
            Depends(conditional_get),
        ],
        license_info={"name": "Data: Open Government Licence v3.0"},
        docs_url=None,  # /docs and /redoc are served offline by install_pages
        redoc_url=None,
        lifespan=lifespan,
    )
    # The theme and polarity model labels uploaded documents: read it now, so that a missing
    # or broken artefact stops the service at start (ModelError names the file and the fix).
    app.state.model = default_model()
    app.state.settings = settings if settings is not None else get_settings()
    app.state.engine = engine if engine is not None else get_engine()
    app.state.authority_index = AuthorityIndex()
    app.state.coverage = CoverageCache()
    app.state.schema_gate = SchemaGate()
    # What an upload's worker process runs, within the settings' limits on a PDF.
    app.state.extraction_work = extraction_work(app.state.settings)
    install_error_handlers(app)
    install_caching(app)
    for router in ROUTERS:
        app.include_router(router)
    install_pages(app)
    install_guards(app, app.state.settings)  # last: its middleware wraps everything
    return app


def __getattr__(name: str) -> Any:
    # `app.main:app` is created on first use, so importing this module has no side effects.
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
