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
    assert len(contract) == 21
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


def test_the_program_gets_the_expected_data_from_the_running_api(
    node: str, project: Path, live_server: LiveServer
) -> None:
    built = run([node, str(TSC), "-p", ".", "--outDir", "dist"], project)
    assert (built.returncode, built.stdout) == (0, "")
    ran = run([node, "dist/findings.js", live_server.url], project)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == [
        "recommendations: 4",
        "69 immediately in its source passage: ensure that all contacts and referrals w",
        "  themes: exploitation-missing 0.99 (child sexual exploitation); child-protection 0.89 "
        "(child protection concerns); front-door 0.88 (contacts and referrals)",
        "70 immediately in its source passage: ensure that the reasons for all manageme",
        "  themes: management-oversight 0.98 (management decisions)",
        "71 immediately in its source passage: ensure that appropriate and timely actio",
        "  themes: child-protection 0.99 (investigate, child protection concerns); child-in-need "
        "0.99 (child in need plans)",
        "72 immediately in its source passage: ensure that managers at all levels effec",
        "  themes: management-oversight 0.93 (managers at all levels effectively challenge)",
        "kinds: narrative=46 recommendation=16 weakness=7 strength=5",
        "overall effectiveness: 2013-03-11:4 2013-04:4 2015-07-06:3 2019:3 2019-11-18:3 "
        "2024-02-26:4",
    ]
