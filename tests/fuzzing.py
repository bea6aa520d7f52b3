"""How many examples a property test tries. `make test` tries a few of each
(the suite has minutes, and Hypothesis keeps every failing example in
.hypothesis/ and tries it first next time); `BRIEFING_FUZZ=deep make test`
tries many more, as before a release or after changing the reader."""

from __future__ import annotations

import os

DEEP = os.environ.get("BRIEFING_FUZZ") == "deep"


def examples(quick: int, deep: int) -> int:
    """`quick` examples in the everyday suite, `deep` in a deep run."""
    return deep if DEEP else quick


def use_profile() -> None:
    """The everyday suite tries the same examples on every run (CI on a
    clean clone must not pass or fail by chance: a fresh clone once met a
    known difference the deep run documents); a deep run explores."""
    from hypothesis import settings

    settings.register_profile("everyday", derandomize=True)
    settings.register_profile("deep", derandomize=False)
    settings.load_profile("deep" if DEEP else "everyday")
