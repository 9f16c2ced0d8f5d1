"""Draw candidate pairs of findings for judging "recurring issues", reproducibly.

A pair is (later finding, earlier finding) of the same authority: the later finding is a
weakness, a recommendation, or a narrative finding with negative or mixed polarity from an
inspection that has at least one earlier inspection (strictly earlier start date, any
framework); the earlier finding is any finding of such an earlier inspection.

Every candidate pair gets a word-overlap score (TF-IDF cosine over content words, written
here, standard library only). The score is used only to stratify the draw; it is never
written out. Strata, per split:

- ``high``: cosine >= HIGH
- ``medium``: MEDIUM <= cosine < HIGH
- ``random``: any candidate pair, uniformly
- ``theme-low`` (drawn after the other three, with its own seeded order): cosine < MEDIUM,
  the two findings share their first-ranked theme (the product's theme classifier, table
  finding_themes), and the earlier finding states a problem (weakness, recommendation,
  priority action, or narrative with negative or mixed polarity). It looks for positives
  that share few words, which the other strata rarely reach.

Split by authority: ``tune`` when the first 8 hex digits of sha256(slug) are even, else
``test``, so each authority is wholly in one split. The draw takes PER_CELL pairs from each
(split, stratum) cell, at most one pair per later finding over the whole sample and at most
PER_AUTHORITY pairs per authority per cell, walking each cell in an order fixed by SEED.
Raising PER_CELL only appends pairs, so earlier judgements stay valid.

Usage (from the repository root):

    python3 training/recurrence/sample.py --db data/ofsted.sqlite3 next 20
        prints the next 20 drawn pairs that have no judgement in labels.jsonl
    python3 training/recurrence/sample.py --db data/ofsted.sqlite3 build
        writes pairs.jsonl: every drawn pair that has a judgement, in draw order
    python3 training/recurrence/sample.py --db data/ofsted.sqlite3 check
        fails unless pairs.jsonl is exactly what build would write; prints the summary
    python3 training/recurrence/sample.py summary
        counts of pairs and positives per split and stratum in pairs.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.jsonl"
PAIRS = HERE / "pairs.jsonl"

SEED = 20261203
HIGH = 0.22
MEDIUM = 0.10
PER_CELL = 50
PER_THEME_CELL = 25
PER_AUTHORITY = 6
STRATA = ("high", "medium", "random")
EXTRA_STRATA = ("theme-low",)
SPLITS = ("tune", "test")

STOPWORDS = frozenset(
    """
    a about above after again against all also although am an and any are as at be because
    been before being below between both but by can could did do does doing done during each
    few for from further had has have having he her here hers him his how however i if in into
    is it its itself just more most much must no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then there
    these they this those through to too under until up very was we were what when where
    which while who whom why will with would yet you your
    """.split()  # noqa: SIM905 (a word list is easier to read as prose)
)
WORD = re.compile(r"[a-z]+")


def tokens(text: str) -> list[str]:
    """Content words: lower case, letters only, no stopwords, three letters or more, plural s
    off."""
    out = []
    for word in WORD.findall(text.lower().replace("’", "'")):
        if len(word) < 3 or word in STOPWORDS:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


def split_of(slug: str) -> str:
    return "tune" if int(hashlib.sha256(slug.encode()).hexdigest()[:8], 16) % 2 == 0 else "test"


def is_later_kind(kind: str, polarity: str) -> bool:
    return kind in ("weakness", "recommendation") or (
        kind == "narrative" and polarity in ("negative", "mixed")
    )


def load(db: str):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        """
        SELECT f.id, f.sequence, f.kind, f.polarity, f.text, d.filename,
               i.id AS inspection_id, i.start_date, a.slug, t.theme
        FROM findings f
        JOIN documents d ON d.id = f.document_id
        JOIN inspections i ON i.id = f.inspection_id
        JOIN authorities a ON a.id = f.authority_id
        LEFT JOIN finding_themes t ON t.finding_id = f.id AND t.rank = 1
        ORDER BY a.slug, i.start_date, d.filename, f.sequence
        """
    ).fetchall()
    conn.close()
    return [dict(r) for r in rows]


def vectors(findings):
    """Unit-length TF-IDF vectors, IDF over all findings in the database."""
    docs = [Counter(tokens(f["text"])) for f in findings]
    df = Counter(w for d in docs for w in d)
    n = len(docs)
    idf = {w: math.log(n / c) for w, c in df.items()}
    out = []
    for d in docs:
        v = {w: (1 + math.log(tf)) * idf[w] for w, tf in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({w: x / norm for w, x in v.items()})
    return out


def cosine(u, v):
    if len(u) > len(v):
        u, v = v, u
    return sum(x * v.get(w, 0.0) for w, x in u.items())


def states_problem(f) -> bool:
    return f["kind"] in ("weakness", "recommendation", "priority-action") or (
        f["kind"] == "narrative" and f["polarity"] in ("negative", "mixed")
    )


def candidates(findings):
    """Every candidate pair, in a fixed order: (split, band-or-None, later, earlier)."""
    vecs = vectors(findings)
    for f, v in zip(findings, vecs, strict=True):
        f["vec"] = v
    by_authority = defaultdict(list)
    for f in findings:
        by_authority[f["slug"]].append(f)
    for slug in sorted(by_authority):
        rows = by_authority[slug]
        dates = sorted({f["start_date"] for f in rows})
        if len(dates) < 2:
            continue
        split = split_of(slug)
        for later in rows:
            if not is_later_kind(later["kind"], later["polarity"]):
                continue
            for earlier in rows:
                if earlier["start_date"] >= later["start_date"]:
                    continue
                score = cosine(later["vec"], earlier["vec"])
                if score >= HIGH:
                    band = "high"
                elif score >= MEDIUM:
                    band = "medium"
                elif (
                    later["theme"]
                    and later["theme"] == earlier["theme"]
                    and states_problem(earlier)
                ):
                    band = "theme-low"
                else:
                    band = None
                yield split, band, later, earlier


def draw(findings, per_cell=PER_CELL, per_theme_cell=PER_THEME_CELL):
    pools: dict[tuple[str, str], list[tuple[dict, dict]]] = {
        (s, t): [] for s in SPLITS for t in STRATA + EXTRA_STRATA
    }
    for split, band, later, earlier in candidates(findings):
        pools[(split, "random")].append((later, earlier))
        if band:
            pools[(split, band)].append((later, earlier))
    rng = random.Random(SEED)
    used_later = set()
    sample = []
    # Walk the cells in a fixed order; each cell's order is a seeded shuffle.
    orders = {}
    main_cells = sorted(k for k in pools if k[1] in STRATA)
    for key in main_cells:
        order = list(range(len(pools[key])))
        rng.shuffle(order)
        orders[key] = order
    extra_cells = sorted(k for k in pools if k[1] in EXTRA_STRATA)
    for key in extra_cells:
        order = list(range(len(pools[key])))
        random.Random(f"{SEED}-{key[0]}-{key[1]}").shuffle(order)
        orders[key] = order
    for key in main_cells + extra_cells:
        split, stratum = key
        cell_size = per_cell if stratum in STRATA else per_theme_cell
        taken = 0
        per_authority: Counter[str] = Counter()
        for index in orders[key]:
            if taken == cell_size:
                break
            later, earlier = pools[key][index]
            if later["id"] in used_later or per_authority[later["slug"]] >= PER_AUTHORITY:
                continue
            used_later.add(later["id"])
            per_authority[later["slug"]] += 1
            taken += 1
            sample.append(
                {
                    "pair_id": f"{split}-{stratum}-{taken:03d}",
                    "split": split,
                    "stratum": stratum,
                    "authority": later["slug"],
                    "later": side(later),
                    "earlier": side(earlier),
                }
            )
    return sample, {k: len(v) for k, v in pools.items()}


def side(f):
    return {
        "document": f["filename"],
        "sequence": f["sequence"],
        "inspection_start": f["start_date"],
        "kind": f["kind"],
        "polarity": f["polarity"],
        "text": f["text"],
    }


def read_labels():
    labels = {}
    if LABELS.exists():
        for line in LABELS.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                labels[row["pair_id"]] = row
    return labels


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="data/ofsted.sqlite3")
    parser.add_argument("--per-cell", type=int, default=PER_CELL)
    parser.add_argument("--per-theme-cell", type=int, default=PER_THEME_CELL)
    sub = parser.add_subparsers(dest="command", required=True)
    nxt = sub.add_parser("next", help="print the next unjudged pairs")
    nxt.add_argument("count", type=int)
    sub.add_parser("build", help="write pairs.jsonl from the draw and labels.jsonl")
    sub.add_parser("pools", help="print the size of each (split, stratum) pool")
    sub.add_parser("check", help="check pairs.jsonl against the draw and labels.jsonl")
    sub.add_parser("summary", help="counts per split and stratum in pairs.jsonl")
    args = parser.parse_args(argv)

    if args.command == "summary":
        print_summary([json.loads(line) for line in PAIRS.read_text().splitlines()])
        return
    sample, pools = draw(load(args.db), args.per_cell, args.per_theme_cell)
    labels = read_labels()
    if args.command == "check":
        expected = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in judged(sample, labels))
        if PAIRS.read_text() != expected:
            sys.exit("pairs.jsonl differs from the draw joined with labels.jsonl: run build")
        print_summary([json.loads(line) for line in expected.splitlines()])
    elif args.command == "pools":
        for key, size in sorted(pools.items()):
            print(*key, size)
    elif args.command == "next":
        todo = [p for p in sample if p["pair_id"] not in labels][: args.count]
        for p in todo:
            print(f"=== {p['pair_id']} {p['authority']}")
            for name in ("later", "earlier"):
                s = p[name]
                head = f"{name.upper()} {s['inspection_start']} {s['kind']}/{s['polarity']}"
                print(f"[{head}] {s['text']}")
            print()
    elif args.command == "build":
        drawn = {p["pair_id"] for p in sample}
        stray = sorted(set(labels) - drawn)
        if stray:
            sys.exit(f"labels for pairs not in the draw: {stray}")
        rows = judged(sample, labels)
        with PAIRS.open("w") as out:
            for p in rows:
                out.write(json.dumps(p, ensure_ascii=False) + "\n")
        print(f"wrote {len(rows)} pairs to {PAIRS}")


def judged(sample, labels):
    """The drawn pairs that have a judgement, in draw order, with the judgement added."""
    rows = []
    for p in sample:
        if p["pair_id"] in labels:
            label = labels[p["pair_id"]]
            rows.append({**p, "same_issue": label["same_issue"], "note": label["note"]})
    return rows


def print_summary(rows):
    cells = Counter((r["split"], r["stratum"]) for r in rows)
    positives = Counter((r["split"], r["stratum"]) for r in rows if r["same_issue"])
    print("split  stratum    pairs  same_issue")
    for split in SPLITS:
        for stratum in STRATA + EXTRA_STRATA:
            key = (split, stratum)
            print(f"{split:6} {stratum:10} {cells[key]:5} {positives[key]:11}")
        total = sum(v for k, v in cells.items() if k[0] == split)
        pos = sum(v for k, v in positives.items() if k[0] == split)
        authorities = len({r["authority"] for r in rows if r["split"] == split})
        print(f"{split:6} {'all':10} {total:5} {pos:11}   ({authorities} authorities)")
    print(f"{'all':6} {'all':10} {len(rows):5} {sum(positives.values()):11}")


if __name__ == "__main__":
    main()
