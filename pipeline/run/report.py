"""`--report FILE.json`: per briefing, what a CI job or a dashboard wants to
know: the outputs, the PDF's pages, the time taken, the markings and how
the banner rolls up from the portion marks, the warnings and errors."""

from __future__ import annotations

import json

from pipeline.run.outcome import Outcome
from pipeline.problems import Problem

FORMAT = 1


def report(outcomes: list[Outcome]) -> bytes:
    return json.dumps({"format": FORMAT, "briefings": [entry(o) for o in outcomes]},
                      indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


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
