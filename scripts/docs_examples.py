"""The examples in README.md and docs/*.md that show a server's output, asked again of the
app on the database `make run` builds (the whole shipped corpus), and compared.

    .venv/bin/python -m scripts.docs_examples            # report what differs; exit 1 if any
    .venv/bin/python -m scripts.docs_examples --write    # rewrite the outputs that differ

An example is a `curl` of `127.0.0.1:8000` (or `http://127.0.0.1:8000`) followed by its
output, in one of two forms:

* a ```console block: `$ curl ...` and the output under it;
* a ```sh block holding only the `curl` line, then a block with the output.

The output may be summarised, and the summary is kept when it is written again: a JSON object
may leave keys out, a JSON list may show only its first items, a string ending in "…" or
"..." is the start of the served string; a CSV shows its first rows; a header dump (`-D -`)
the headers it names (`date` and `last-modified`, which tell when the server answered and
when the database was loaded, need only be there). tests/api/test_docs_regenerated.py runs the
comparison on every example.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_HOST = re.compile(r"^(?:http://)?127\.0\.0\.1:8000")
_CONSOLE = re.compile(r"```console\n\$ (curl [^\n]*127\.0\.0\.1:8000[^\n]*)\n(.*?)```", re.S)
_SH = re.compile(r"```sh\n(curl [^\n]*127\.0\.0\.1:8000[^\n]*)\n```\n```[a-z]*\n(.*?)```", re.S)
_VOLATILE = {"date", "server", "last-modified"}
"""Headers that say when and by what the server answered, and when the data was loaded:
documented only to show they are sent (uvicorn adds `date` and `server`)."""
_JQ_STEP = re.compile(r'\.([A-Za-z_]\w*)|\["([^"]+)"\]|\[:(\d+)\]')


@dataclass(frozen=True, slots=True)
class Example:
    document: Path
    command: str
    output: str
    start: int
    """Where the output begins in the document's text."""

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(ROOT)}: {self.command}"


def examples(document: Path) -> list[Example]:
    text = document.read_text(encoding="utf-8")
    found = [
        Example(document, match.group(1), match.group(2), match.start(2))
        for pattern in (_CONSOLE, _SH)
        for match in pattern.finditer(text)
    ]
    return sorted(found, key=lambda example: example.start)


def all_examples() -> list[Example]:
    return [example for document in DOCUMENTS for example in examples(document)]


@dataclass(frozen=True, slots=True)
class Request:
    path: str
    headers: dict[str, str]
    head_only: bool
    grep: str | None
    jq: str | None


def _jq(expression: str, value: Any) -> Any:
    """A `jq` path of keys and a leading slice (`.paths["/findings"].get.parameters[:2]`)."""
    position = 0
    while position < len(expression):
        step = _JQ_STEP.match(expression, position)
        assert step is not None, expression
        name, key, count = step.groups()
        value = value[: int(count)] if count else value[name or key]
        position = step.end()
    return value


def parse(command: str) -> Request:
    """The request a documented `curl` makes: its URL, `-H` headers, whether it dumps only
    the headers (`-D - -o /dev/null`) and what it greps for."""
    grep = jq = None
    if "|" in command:
        command, _, after = command.partition("|")
        words = shlex.split(after)
        if words[0] == "jq":
            jq = words[1]
        else:
            assert words[:2] == ["grep", "-i"], after
            grep = words[2]
    words = shlex.split(command)
    headers: dict[str, str] = {}
    path = None
    head_only = False
    position = 1
    while position < len(words):
        word = words[position]
        if word == "-H":
            name, _, value = words[position + 1].partition(":")
            headers[name.strip()] = value.strip()
            position += 2
        elif word in ("-D", "-o"):
            head_only = head_only or (word == "-D" and words[position + 1] == "-")
            position += 2
        elif word.startswith("-"):
            position += 1
        else:
            path = _HOST.sub("", word)
            position += 1
    assert path is not None, command
    return Request(path, headers, head_only, grep, jq)


def _headers_text(response: Any) -> list[str]:
    reason = {200: "OK", 304: "Not Modified"}.get(response.status_code, "")
    lines = [f"HTTP/1.1 {response.status_code} {reason}".rstrip()]
    lines += [f"{name}: {value}" for name, value in response.headers.items()]
    return lines


def _abridged(documented: str) -> str | None:
    for ellipsis in ("…", "..."):
        if documented.endswith(ellipsis):
            return documented[: -len(ellipsis)]
    return None


def project(documented: Any, served: Any) -> Any:
    """`served` cut to the shape of `documented`: its keys, its number of items, its
    abridged strings. Where the shapes differ, `served` itself."""
    if isinstance(documented, dict) and isinstance(served, dict):
        # `"...": "..."`: the other keys are left out.
        keys = [key for key in documented if key != "..."]
        if not set(keys) <= set(served):
            return served
        projected = {key: project(documented[key], served[key]) for key in keys}
        if "..." in documented:
            projected["..."] = documented["..."]
        return projected
    if isinstance(documented, list) and isinstance(served, list):
        if not documented:
            return served
        shown = served[: len(documented)]
        return [
            project(documented[min(i, len(documented) - 1)], item) for i, item in enumerate(shown)
        ]
    if isinstance(documented, str) and isinstance(served, str):
        start = _abridged(documented)
        if start is not None and served.startswith(start) and len(served) > len(start):
            return documented
    return served


def regenerate(example: Example, client: Any) -> str:
    """The example's output as the app answers now, in the example's shape."""
    request = parse(example.command)
    response = client.get(request.path, headers=request.headers)
    documented = example.output
    if request.head_only:
        served = _headers_text(response)
        if request.grep:
            return "\n".join(line for line in served if request.grep.lower() in line.lower()) + "\n"
        values = {line.split(": ", 1)[0].lower(): line for line in served[1:]}
        lines = [served[0]]
        for line in documented.splitlines()[1:]:
            name = line.split(": ", 1)[0].lower()
            if not line.strip() or name in _VOLATILE:
                lines.append(line)
            else:
                lines.append(values.get(name, f"{name}: (not sent)"))
        return "\n".join(lines) + "\n"
    if response.headers.get("content-type", "").startswith("text/csv"):
        served_lines = response.text.replace("\r\n", "\n").splitlines()
        shown = len(documented.splitlines())
        return "\n".join(served_lines[:shown]) + "\n"
    try:
        shape = json.loads(documented)
    except json.JSONDecodeError:
        shape = None
    body = response.json()
    if request.jq:
        body = _jq(request.jq, body)
    if shape is None:
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    projected = project(shape, body)
    if projected == shape:
        return documented
    return _in_place(documented, shape, projected) or (
        json.dumps(projected, indent=2, ensure_ascii=False) + "\n"
    )


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _in_place(documented: str, shape: Any, projected: Any) -> str | None:
    """The documented text with only the values that changed written again, its layout
    kept: when the shapes are the same and each old `"key": value` is found once."""
    old, new = dict(_leaves(shape)), dict(_leaves(projected))
    if old.keys() != new.keys():
        return None
    text = documented
    for path, value in old.items():
        if new[path] == value:
            continue
        key = path[-1]
        if not isinstance(key, str):
            return None
        before = f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        if text.count(before) != 1:
            return None
        text = text.replace(
            before, f"{json.dumps(key)}: {json.dumps(new[path], ensure_ascii=False)}"
        )
    return text if json.loads(text) == projected else None


def differences(client: Any) -> Iterator[tuple[Example, str]]:
    for example in all_examples():
        again = regenerate(example, client)
        if again != example.output:
            yield example, again


def write(changes: list[tuple[Example, str]]) -> None:
    by_document: dict[Path, list[tuple[Example, str]]] = {}
    for example, again in changes:
        by_document.setdefault(example.document, []).append((example, again))
    for document, items in by_document.items():
        text = document.read_text(encoding="utf-8")
        for example, again in sorted(items, key=lambda item: -item[0].start):
            end = example.start + len(example.output)
            text = text[: example.start] + again + text[end:]
        document.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from fastapi.testclient import TestClient

    from app.config import get_settings
    from app.db import make_engine
    from app.main import create_app

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the outputs that differ")
    parser.add_argument("--database-url", default=get_settings().database_url)
    arguments = parser.parse_args(argv)
    engine = make_engine(arguments.database_url)
    with TestClient(create_app(engine)) as client:
        changes = list(differences(client))
    for example, again in changes:
        print(f"--- {example.where}\n{example.output}+++ served\n{again}")
    if arguments.write:
        write(changes)
        print(f"rewrote {len(changes)} example(s)")
        return 0
    print(f"{len(all_examples())} examples, {len(changes)} differ")
    return 1 if changes else 0


if __name__ == "__main__":
    sys.exit(main())
