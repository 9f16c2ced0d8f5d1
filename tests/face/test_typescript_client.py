"""A TypeScript client generated from the committed openapi.json by openapi-typescript (from
the npm registry), used through openapi-fetch by a small committed program
(clients/typescript/src/findings.ts): tsc type-checks the program against the generated
types, and node runs it against the live server.

The npm packages are installed by `make client-deps` (`npm ci` in clients/typescript, which
`make test` and .ci/run do first); the tests need no network and fail, saying so, when they
are missing. They work on a copy of the project, so nothing is written into the tree.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.export_openapi import OPENAPI_PATH
from tests.face.conftest import PROJECT_ROOT, LiveServer

CLIENT_DIR = PROJECT_ROOT / "clients" / "typescript"
NODE_MODULES = CLIENT_DIR / "node_modules"
GENERATOR = NODE_MODULES / "openapi-typescript" / "bin" / "cli.js"
TSC = NODE_MODULES / "typescript" / "bin" / "tsc"


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("Node.js is not installed: the TypeScript client tests need node and npm")
    if not (GENERATOR.is_file() and TSC.is_file() and (NODE_MODULES / "openapi-fetch").is_dir()):
        pytest.fail(
            f"{NODE_MODULES.relative_to(PROJECT_ROOT)} is missing or incomplete: run `make "
            "client-deps` (npm ci in clients/typescript, from the npm registry; `make test` "
            "and .ci/run do it first)"
        )
    return found


@pytest.fixture(scope="module")
def project(node: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of clients/typescript with the client generated from openapi.json."""
    copy = tmp_path_factory.mktemp("typescript")
    for name in ("package.json", "tsconfig.json"):
        shutil.copy(CLIENT_DIR / name, copy / name)
    shutil.copytree(CLIENT_DIR / "src", copy / "src", ignore=shutil.ignore_patterns("*.d.ts"))
    (copy / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    generated = run([node, str(GENERATOR), str(OPENAPI_PATH), "--output", "src/schema.d.ts"], copy)
    assert generated.returncode == 0, generated.stderr
    return copy


def test_the_generated_client_has_every_path_of_the_contract(project: Path) -> None:
    schema = (project / "src" / "schema.d.ts").read_text()
    interface = schema[schema.index("export interface paths {") : schema.index("\n}\n")]
    generated = set(re.findall(r'^    "(/[^"]*)": \{$', interface, re.MULTILINE))
    contract = set(json.loads(OPENAPI_PATH.read_text())["paths"])
    assert len(contract) == 23
    assert generated == contract


def test_the_program_type_checks_against_the_generated_client(node: str, project: Path) -> None:
    checked = run([node, str(TSC), "--noEmit", "-p", "."], project)
    assert (checked.returncode, checked.stdout) == (0, "")


def test_type_checking_catches_a_program_that_misuses_the_api(node: str, project: Path) -> None:
    """A control: a value outside a vocabulary, a misspelt field and a wrong path parameter
    are each a type error."""
    misuse = project / "src" / "misuse.ts"
    misuse.write_text(
        'import createClient from "openapi-fetch";\n'
        'import type { paths } from "./schema.js";\n'
        'const client = createClient<paths, "application/json">({ baseUrl: "http://x" });\n'
        'const found = await client.GET("/findings",'
        ' { params: { query: { kind: ["praise"] } } });\n'
        "console.log(found.data?.items[0]?.txt);\n"
        'await client.GET("/findings/{finding_id}", { params: { path: { id: 1 } } });\n'
    )
    try:
        checked = run([node, str(TSC), "--noEmit", "-p", "."], project)
    finally:
        misuse.unlink()
    errors = re.findall(r"^src/misuse\.ts\((\d+),\d+\): error (TS\d+)", checked.stdout, re.M)
    assert checked.returncode == 2
    assert errors == [("4", "TS2322"), ("5", "TS2551"), ("6", "TS2353")], checked.stdout


FACE_MD = Path(__file__).resolve().parents[2] / "docs" / "face.md"


def documented_output() -> list[str]:
    """The lines docs/face.md shows under `$ node dist/findings.js http://127.0.0.1:8000`."""
    (block,) = re.findall(
        r"^\$ node dist/findings\.js http://127\.0\.0\.1:8000\n(.*?)^```",
        FACE_MD.read_text(),
        re.M | re.S,
    )
    return block.splitlines()


def test_the_documented_output_is_the_programs() -> None:
    """The document shows all that the program prints: its themes and the grades later
    reports cite (once left out of docs/face.md)."""
    lines = documented_output()
    assert lines[0] == "recommendations: 4"
    assert len(lines) == 11
    assert lines[-1].startswith("overall effectiveness: 2013-03-11:4 2013-04:4 ")


def test_the_program_gets_the_expected_data_from_the_running_api(
    node: str, project: Path, live_server: LiveServer
) -> None:
    built = run([node, str(TSC), "-p", ".", "--outDir", "dist"], project)
    assert (built.returncode, built.stdout) == (0, "")
    ran = run([node, "dist/findings.js", live_server.url], project)
    assert ran.returncode == 0, ran.stderr
    # The output docs/face.md shows, line for line.
    assert ran.stdout.splitlines() == documented_output()
