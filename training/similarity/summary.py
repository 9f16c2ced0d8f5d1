"""Summarise the independent same-issue judgements of the similarity top-5 results.

Reads judgements.jsonl (next to this file, or the path given as the first argument)
and prints the figures quoted at the end of PROTOCOL.md:

    python3 training/similarity/summary.py

Standard library only.
"""

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

KINDS = ("narrative", "strength", "weakness", "recommendation", "priority-action")


def load(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def per_query(rows, keep=lambda row: True):
    hits: defaultdict[str, int] = defaultdict(int)
    judged: defaultdict[str, int] = defaultdict(int)
    kind = {}
    for row in rows:
        kind[row["query_id"]] = row["query_kind"]
        if keep(row):
            judged[row["query_id"]] += 1
            hits[row["query_id"]] += bool(row["same_issue"])
    return {qid: (hits[qid], judged[qid], kind[qid]) for qid in kind}


def main(argv):
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("judgements.jsonl")
    rows = load(path)
    queries = per_query(rows)
    if any(judged != 5 for _, judged, _ in queries.values()):
        raise SystemExit("every query must have exactly 5 judged results")
    counts = [hits for hits, _, _ in queries.values()]
    print(f"queries: {len(queries)}  results judged: {len(rows)}  same issue: {sum(counts)}")
    print(f"mean same-issue results in top 5 per query: {sum(counts) / len(counts):.2f}")
    print(f"precision@5: {sum(counts) / len(rows):.3f}")
    dist = Counter(counts)
    print("queries by number of top-5 results judged same issue:")
    for n in range(6):
        print(f"  {n}: {dist.get(n, 0)}")
    print("by query kind (queries, mean of 5, distribution 0..5):")
    for kind in KINDS:
        mine = [hits for hits, _, k in queries.values() if k == kind]
        if not mine:
            continue
        d = Counter(mine)
        spread = " ".join(str(d.get(n, 0)) for n in range(6))
        print(f"  {kind:16s} {len(mine):3d}  {sum(mine) / len(mine):.2f}  [{spread}]")
    borderline = [row for row in rows if row["note"].startswith("borderline")]
    firm = sum(bool(r["same_issue"]) for r in rows if not r["note"].startswith("borderline"))
    print(
        f"borderline calls: {len(borderline)} "
        f"({sum(bool(r['same_issue']) for r in borderline)} judged same issue); "
        f"mean per query if all borderline were false: {firm / len(queries):.2f}, "
        f"if all were true: {(firm + len(borderline)) / len(queries):.2f}"
    )
    same_doc = [row for row in rows if row["same_document"]]
    other = [row for row in rows if not row["same_document"]]
    print(
        f"results from the query's own report: {len(same_doc)}, "
        f"of which same issue: {sum(bool(r['same_issue']) for r in same_doc)}"
    )
    print(
        f"precision over results from other reports only: "
        f"{sum(bool(r['same_issue']) for r in other) / len(other):.3f} ({len(other)} results)"
    )


if __name__ == "__main__":
    main(sys.argv)
