"""The time a build says it was made: `SOURCE_DATE_EPOCH` when set, so two
builds of the same source give the same bytes (reproducible-builds.org)."""

from __future__ import annotations

import datetime as dt
import os

from pipeline.problems import BriefingError


def build_time(path: str) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.datetime.now(dt.timezone.utc)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        message = f"SOURCE_DATE_EPOCH is not a timestamp: {epoch!r}"
        raise BriefingError.one(path, None, "option.source-date-epoch", message) from None
