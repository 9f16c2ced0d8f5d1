"""Make an operator token for uploads and deletes, and print the hash to configure.

    python -m app.tokens new           # a new random token and its hash
    python -m app.tokens hash < file   # the hash of an existing token (read from stdin)

The server keeps only hashes: put the hash in API_TOKEN_HASHES (comma-separated for several
operators) and give the token to the operator; it is shown once and stored nowhere.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Sequence
from typing import TextIO

from app.http.auth import token_hash

TOKEN_PREFIX = "ofs_"
TOKEN_BYTES = 32


def new_token() -> str:
    """A random token: 32 bytes from the OS's CSPRNG, URL-safe base64, with a prefix that
    makes it recognisable to secret scanners."""
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m app.tokens",
        description="Make operator tokens for POST/DELETE /documents, and their hashes.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("new", help="make a new token and print it with its hash")
    commands.add_parser("hash", help="print the hash of a token read from standard input")
    args = parser.parse_args(argv)
    if args.command == "new":
        token = new_token()
        print(f"token: {token}", file=out)
        print(f"hash:  sha256:{token_hash(token)}", file=out)
        print(
            "Give the token to the operator (it is not stored anywhere); add the hash to "
            "API_TOKEN_HASHES (comma-separated) in the server's environment or .env.",
            file=out,
        )
        return 0
    token = sys.stdin.readline().strip()
    if not token:
        print("error: no token on standard input", file=sys.stderr)
        return 2
    print(f"sha256:{token_hash(token)}", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
