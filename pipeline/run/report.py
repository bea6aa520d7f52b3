"""`--report FILE.json`: per briefing, what a CI job or a dashboard wants to
know: the outputs, the PDF's pages, the time taken, the markings and how
the banner rolls up from the portion marks, the warnings and errors.

A shard's report (`build --shard I/N`) also says which shard it is and how
many briefings the whole command line named; `briefing report merge` joins
the shards' reports into one, as the build of them all would have written
it, and refuses shards that do not add up (one missing, one twice, a
briefing in two)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.run.outcome import Outcome
from pipeline.problems import BriefingError, Problem

if TYPE_CHECKING:
    from pipeline.run.shards import Shard

FORMAT = 1


def report(outcomes: list[Outcome], shard: Shard | None = None, sources: int | None = None) -> bytes:
    """The report of a build or a check; of a shard of `sources` briefings
    when `shard` is given."""
    data: dict[str, object] = {"format": FORMAT}
    if shard is not None:
        data["shard"] = {"index": shard.index, "count": shard.count, "sources": sources}
    data["briefings"] = [entry(o) for o in outcomes]
    return dumps(data)


def dumps(data: dict) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def entry(outcome: Outcome) -> dict:
    return {
        "source": str(outcome.source),
        "status": outcome.status,
        "outputs": [str(p) for p in outcome.outputs],
        "pages": outcome.pages,
        "seconds": round(outcome.seconds, 3),
        "markings": outcome.markings,
        "rollup": outcome.rollup,
        "warnings": [problem(p) for p in outcome.warnings],
        "errors": [problem(p) for p in outcome.errors],
    }


def problem(p: Problem) -> dict:
    return p.as_dict()


def merge(paths: Iterable[Path], target: Path) -> tuple[bytes, dict]:
    """The report of every briefing in the reports at `paths` (by source),
    and a summary (briefings, reports, statuses); BriefingError with every
    problem found when they do not add up."""
    problems: list[Problem] = []
    briefings: dict[str, dict] = {}
    first_seen: dict[str, str] = {}
    shards: dict[str, dict | None] = {}
    read = 0
    for path in paths:
        data = read_report(path, problems)
        if data is None:
            continue
        read += 1
        shards[str(path)] = data.get("shard")
        for briefing in data["briefings"]:
            source = briefing["source"]
            if source in briefings:
                problems.append(Problem(str(path), None, f"{source} is in {first_seen[source]} too: "
                                        "a briefing was built by two shards (were they given the same "
                                        "--shard, or different lists of sources?)", code="report.duplicate"))
                continue
            briefings[source], first_seen[source] = briefing, str(path)
    if not problems:
        problems.extend(shards_problems(shards, len(briefings), str(target)))
    if problems:
        raise BriefingError(problems)
    statuses: dict[str, int] = {}
    for briefing in briefings.values():
        statuses[briefing["status"]] = statuses.get(briefing["status"], 0) + 1
    merged = {"format": FORMAT, "briefings": [briefings[s] for s in sorted(briefings)]}
    return dumps(merged), {"briefings": len(briefings), "reports": read, "statuses": statuses}


def read_report(path: Path, problems: list[Problem]) -> dict | None:
    """A report's data, or None with the problem said."""
    def invalid(line: int | None, message: str) -> None:
        problems.append(Problem(str(path), line, message, code="report.invalid"))

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        invalid(None, f"cannot read: {getattr(error, 'strerror', None) or error}")
        return None
    try:
        data = json.loads(text)
    except ValueError as error:
        invalid(getattr(error, "lineno", None), f"not JSON: {getattr(error, 'msg', error)}")
        return None
    if not isinstance(data, dict) or not isinstance(data.get("briefings"), list):
        invalid(None, "not a briefing report (no list of briefings): write it with build --report")
        return None
    if data.get("format") != FORMAT:
        invalid(None, f"a report of format {data.get('format')!r}; this briefing reads format {FORMAT}")
        return None
    if not all(isinstance(b, dict) and isinstance(b.get("source"), str)
               and isinstance(b.get("status"), str) for b in data["briefings"]):
        invalid(None, "a briefing without a source or a status: not a report briefing wrote")
        return None
    shard = data.get("shard")
    if shard is not None and not (isinstance(shard, dict) and all(
            isinstance(shard.get(k), int) and not isinstance(shard.get(k), bool)
            for k in ("index", "count", "sources"))):
        invalid(None, "its shard is not an index, a count and a number of sources")
        return None
    return data


def shards_problems(shards: dict[str, dict | None], briefings: int, target: str) -> list[Problem]:
    """Shards' reports must come from one sharded build: the same count of
    shards of the same sources, each shard once, none missing."""
    sharded = {path: shard for path, shard in shards.items() if shard is not None}
    if not sharded:
        return []

    def said(path: str, message: str) -> Problem:
        return Problem(path, None, message, code="report.shards")

    problems = [said(path, f"not a shard's report (built without --shard), merged with the shards of "
                     f"{next(iter(sharded))}") for path, shard in shards.items() if shard is None]
    first_path, first = next(iter(sharded.items()))
    for path, shard in sharded.items():
        if (shard["count"], shard["sources"]) != (first["count"], first["sources"]):
            problems.append(said(path, f"shard {shard['index']}/{shard['count']} of {shard['sources']} "
                                 f"sources; {first_path} is shard {first['index']}/{first['count']} of "
                                 f"{first['sources']}: reports of different builds"))
    if problems:
        return problems
    by_index: dict[int, str] = {}
    for path, shard in sharded.items():
        if shard["index"] in by_index:
            problems.append(said(path, f"shard {shard['index']}/{shard['count']} again (also "
                                 f"{by_index[shard['index']]})"))
        by_index.setdefault(shard["index"], path)
    missing = [str(i) for i in range(1, first["count"] + 1) if i not in by_index]
    if missing:
        problems.append(said(target, f"shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} of "
                             f"{first['count']} missing: no report of {'them' if len(missing) > 1 else 'it'} "
                             "among those given"))
    elif briefings != first["sources"]:
        problems.append(said(target, f"the shards hold {briefings} briefings of the {first['sources']} "
                             "their command line named"))
    return problems
