"""`make train`: fit the theme and polarity model on every labelled finding and write the
artefact the service and the seed job load (`app/classifier/model.json`).

Deterministic: the same labelled findings give the same file, byte for byte (fixed fold
order, liblinear with a fixed seed, weights written to four significant digits).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

from app.classifier.model import MODEL_PATH
from training.data import LABELLED, SEED, load_examples
from training.fit import dumps, fit


def data_digest() -> str:
    """sha256 of the labelled data the model is trained on."""
    digest = hashlib.sha256()
    for path in (LABELLED, SEED):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train() -> str:
    """The artefact, as the text written to the file."""
    fitted = fit(load_examples())
    fitted.artefact["trained_on"]["labels_sha256"] = data_digest()
    return dumps(fitted.artefact)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.train", description=__doc__)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    text = train()
    args.out.write_text(text, encoding="utf-8")
    print(
        f"wrote {args.out} ({len(text.encode()):,} bytes) in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
