"""How the seed job words what became of each document, and of a whole run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from app.loading import LoadResult


def describe(result: LoadResult) -> str:
    if result.status == "reparsed":
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(result.findings_by_kind.items()))
        return (
            f"reparsed {result.filename}: document {result.document_id}, inspection "
            f"{result.inspection_id}; {result.judgements} judgements; {result.findings} findings"
            + (f" ({kinds})" if kinds else "")
        )
    if result.status == "skipped":
        return f"skipped  {result.filename}: already loaded as document {result.document_id}"
    if result.status == "failed":
        return f"failed   {result.filename}: {result.reason}"
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(result.findings_by_kind.items()))
    joined = "new" if result.inspection_created else "joined"
    return (
        f"loaded   {result.filename}: {result.authority} {result.inspection_type} "
        f"{result.start_date} (inspection {result.inspection_id}, {joined}); "
        f"{result.judgements} judgements; {result.findings} findings"
        + (f" ({kinds})" if kinds else "")
    )


def summarise(results: Sequence[LoadResult]) -> str:
    statuses = Counter(result.status for result in results)
    findings = sum(result.findings for result in results)
    judgements = sum(result.judgements for result in results)
    done = ", ".join(
        f"{statuses[status]} {status}"
        for status in ("loaded", "reparsed", "skipped")
        if statuses[status] or status != "reparsed"
    )
    return (
        f"total: {len(results)} documents: {done}, {statuses['failed']} failed; "
        f"{judgements} judgements, {findings} findings"
    )
