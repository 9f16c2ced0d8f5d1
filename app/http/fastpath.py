"""A faster way into the query routes, with the same answers: a reader of query models.

FastAPI solves a request's dependencies one by one and runs every sync dependency and the
endpoint in its thread pool, one hop each; for a findings query that is most of the time a
request takes. `FastQueryRoute` is an APIRoute that first tries a shortcut, for a route that
takes its query parameters as one query model (`app.params`) and renders its own Response:

* it reads the route's declaration (its `Dependant`: the query model, the request), once;
* per request, it collects the query string into the model's fields as FastAPI does (a list
  field takes every value, any other field its one value), validates the model (a refusal
  is the same `RequestValidationError` FastAPI raises, so the same 422), awaits the
  app-wide async dependencies, then in one thread-pool hop calls the sync ones and the
  endpoint; on SQLite, an endpoint that says its read of these values is quick
  (`quick_on_sqlite`: a page of findings along an index, uncounted, unsearched) is called
  on the event loop instead, as the hop costs more CPU than such a read;
* anything else (an unknown parameter, a single-valued parameter given twice, a conditional
  request, dependency overrides) goes to FastAPI's own handler, as does every route whose
  declaration has something else (a path, header or body parameter, a plain query
  parameter, an async endpoint).

It never parses a value itself: the model does, so nothing about the routes is shaped by it.
"""

from __future__ import annotations

import inspect
import types
import typing
import weakref
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from app.http.connections import holding_a_connection


class Refused(Exception):
    """The shortcut will not read this request: FastAPI's handler answers it."""


def _is_list(annotation: Any) -> bool:
    """A list, through Optional and Annotated: a field that takes every value given."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                raise TypeError(f"unsupported union {annotation}")
            annotation = members[0]
        else:
            return origin is list


@dataclass(frozen=True, slots=True)
class _ModelParameter:
    """A query model (`app.params`): its fields collected from the query string as FastAPI
    collects them (a list field takes every value, any other field its one value), then
    validated by the model itself, so every value means what it means on FastAPI's path. A
    repeated single value is left to FastAPI to answer."""

    name: str
    model: type[BaseModel]
    names: frozenset[str]
    many: frozenset[str]

    @classmethod
    def of(cls, name: str, model: type[BaseModel]) -> _ModelParameter:
        names, many = set(), set()
        for field_name, info in model.model_fields.items():
            alias = info.alias or field_name
            names.add(alias)
            if _is_list(info.annotation):
                many.add(alias)
        return cls(name, model, frozenset(names), frozenset(many))

    def read(self, query: dict[str, list[str]]) -> Any:
        """The model's values as FastAPI collects them; validated when the call runs."""
        data: dict[str, Any] = {}
        for alias, raw in query.items():
            if alias not in self.names:
                continue
            if alias in self.many:
                data[alias] = raw
            elif len(raw) != 1:
                raise Refused  # FastAPI keeps the last; leave that reading to it
            else:
                data[alias] = raw[0]
        return _Unvalidated(self.model, data)


@dataclass(frozen=True, slots=True)
class _Unvalidated:
    """A query model's values, validated when the call runs (after the app-wide
    dependencies, as FastAPI validates them): a refusal is the 422 FastAPI would raise."""

    model: type[BaseModel]
    data: dict[str, Any]

    def validate(self) -> BaseModel:
        try:
            return self.model.model_validate(self.data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            raise RequestValidationError(
                [{**error, "loc": ("query", *error["loc"])} for error in errors]
            ) from None


def _parameter_of(field: Any) -> _ModelParameter:
    annotation = field.field_info.annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _ModelParameter.of(field.name, annotation)
    raise TypeError("only query models (app.params) are read here")


@dataclass(frozen=True, slots=True)
class _Call:
    """How to call one dependency or the endpoint: its query parameters, the dependencies
    whose results it takes (by parameter name), and whether it takes the request."""

    call: Callable[..., Any]
    parameters: tuple[_ModelParameter, ...]
    dependencies: tuple[tuple[str, _Call], ...]
    request_name: str | None

    @classmethod
    def of(cls, dependant: Dependant) -> _Call:
        if dependant.call is None:
            raise TypeError("a dependant without a callable")
        if (
            dependant.path_params
            or dependant.header_params
            or dependant.cookie_params
            or dependant.body_params
            or dependant.websocket_param_name
            or dependant.http_connection_param_name
            or dependant.response_param_name
            or dependant.background_tasks_param_name
            or dependant.security_scopes_param_name
        ):
            raise TypeError("only query parameters and the request are supported")
        if _is_async(dependant.call) or inspect.isgeneratorfunction(dependant.call):
            raise TypeError("only plain sync dependencies and endpoints are supported")
        subs = []
        for sub in dependant.dependencies:
            if sub.name is None:
                raise TypeError("a dependency without a parameter name")
            subs.append((sub.name, cls.of(sub)))
        return cls(
            dependant.call,
            tuple(_parameter_of(field) for field in dependant.query_params),
            tuple(subs),
            dependant.request_param_name,
        )

    def names(self) -> set[str]:
        found: set[str] = set()
        for parameter in self.parameters:
            found |= parameter.names
        for _name, sub in self.dependencies:
            found |= sub.names()
        return found

    def bind(self, query: dict[str, list[str]]) -> _Bound:
        """Parse this call's parameters now (raising Refused), then validate them (raising
        the 422), and return the call itself."""
        unvalidated = {p.name: p.read(query) for p in self.parameters}
        bound = [(name, sub.bind(query)) for name, sub in self.dependencies]
        values = {name: value.validate() for name, value in unvalidated.items()}

        def run(request: Request) -> Any:
            arguments = dict(values)
            for name, sub in bound:
                arguments[name] = sub.run(request)
            if self.request_name is not None:
                arguments[self.request_name] = request
            return self.call(**arguments)

        inline = getattr(self.call, INLINE_ATTRIBUTE, None)
        return _Bound(run, inline is not None and inline(**values))


@dataclass(frozen=True, slots=True)
class _Bound:
    run: Callable[[Request], Any]
    quick: bool
    """The endpoint said its read of these values is quick (`quick_on_sqlite`)."""


INLINE_ATTRIBUTE = "quick_on_sqlite"

Endpoint = typing.TypeVar("Endpoint", bound=Callable[..., Any])


def quick_on_sqlite(predicate: Callable[..., bool]) -> Callable[[Endpoint], Endpoint]:
    """Declare when an endpoint's work is quick enough to run on the event loop, on SQLite:
    `predicate` takes the endpoint's query models (by parameter name) and says whether the
    read is bounded (a keyset page, not counted, not searched, say). A thread-pool hop costs
    about 0.2 ms of CPU, more than SQLite takes for such a page, and SQLite runs in this
    process, so on the loop it only adds its own time; a read that may take long (a count,
    a search, facets) still goes to the pool. The loop waits for such a read: at worst, a
    page whose filters match few of the rows in its index range, read until the page is
    full (the statement time-out bounds it). PostgreSQL reads always go to the pool: they
    wait on the network."""

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, INLINE_ATTRIBUTE, predicate)
        return endpoint

    return mark


def _is_async(call: Any) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(
        getattr(call, "__call__", None)  # noqa: B004
    )


@dataclass(frozen=True, slots=True)
class _AppDependencies:
    """The app-wide dependencies (FastAPI(dependencies=...)): each takes only the request."""

    before: tuple[Callable[[Request], Coroutine[Any, Any, Any]], ...]
    """Async ones, awaited in order on the event loop first."""
    during: tuple[Callable[[Request], Any], ...]
    """Sync ones, called in order in the thread-pool hop, before the endpoint."""

    @classmethod
    def of(cls, app: Any) -> _AppDependencies | None:
        before: list[Callable[[Request], Coroutine[Any, Any, Any]]] = []
        during: list[Callable[[Request], Any]] = []
        for depends in app.router.dependencies:
            call = depends.dependency
            threaded = getattr(call, "in_thread", None)
            if threaded is not None:  # an async dependency's work, to run in the hop
                during.append(threaded)
                continue
            parameters = list(inspect.signature(call).parameters.values())
            if len(parameters) > 1 or (parameters and parameters[0].annotation not in (
                Request, "Request"
            )):  # fmt: skip
                return None
            if _is_async(call):
                if during:  # an async one after a sync one: keep FastAPI's order
                    return None
                before.append(call)
            elif inspect.isfunction(call):
                during.append(call)
            else:
                return None
        return cls(tuple(before), tuple(during))


_app_dependencies: weakref.WeakKeyDictionary[Any, _AppDependencies | None] = (
    weakref.WeakKeyDictionary()
)


class FastQueryRoute(APIRoute):
    """An APIRoute that answers plain GET query requests without FastAPI's per-request
    validation machinery when it can, and through it otherwise (see the module's doc)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        slow = super().get_route_handler()
        if inspect.signature(self.endpoint).return_annotation not in (Response, "Response"):
            return slow  # only endpoints that render their own Response
        try:
            plan = _Call.of(self.dependant)
        except TypeError:
            return slow
        known = frozenset(plan.names())

        async def handler(request: Request) -> Response:
            app = request.app
            if app not in _app_dependencies:
                _app_dependencies[app] = _AppDependencies.of(app)
            shared = _app_dependencies[app]
            headers = request.headers
            if (
                shared is None
                or request.method != "GET"
                or app.dependency_overrides
                or "if-none-match" in headers
                or "if-modified-since" in headers
            ):
                return await slow(request)
            query: dict[str, list[str]] = {}
            for key, value in request.query_params.multi_items():
                if key not in known:
                    return await slow(request)
                query.setdefault(key, []).append(value)
            try:
                endpoint = plan.bind(query)
            except Refused:
                return await slow(request)
            for dependency in shared.before:
                await dependency(request)

            def run() -> Response:
                with holding_a_connection(request):
                    for dependency in shared.during:
                        dependency(request)
                    return endpoint.run(request)  # type: ignore[no-any-return]

            if endpoint.quick and app.state.engine.dialect.name == "sqlite":
                return run()
            return await run_in_threadpool(run)

        return handler


__all__ = ["FastQueryRoute", "quick_on_sqlite"]
