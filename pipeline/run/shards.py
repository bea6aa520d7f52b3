"""`--shard I/N`: a stable share of the briefings, for CI runners that
each build one share of hundreds.

A briefing's shard depends on its path alone (relative to the folder the
command runs in, as every runner of a checkout sees it), through Google's
jump consistent hash (Lamping and Veach, 2014): adding or removing a
briefing moves no other one, and going from N shards to N + 1 moves only
the briefings that now belong to the new shard, about one in N + 1. So a
runner's cached output folder stays useful from one run to the next.
Shards are numbered from 1, as GitLab's CI_NODE_INDEX is.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

MAX_SHARDS = 1000
SPELLING = re.compile(r"\s*(\d{1,4})\s*/\s*(\d{1,4})\s*")


@dataclass(frozen=True)
class Shard:
    index: int  # 1 … count
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, path: Path) -> bool:
        return shard_of(path, self.count) == self.index

    def select(self, paths: list[Path]) -> list[Path]:
        """The paths of this shard, in their order."""
        return [path for path in paths if self.holds(path)]


def parse(value: str) -> Shard:
    """`I/N` with 1 <= I <= N <= MAX_SHARDS; ValueError otherwise."""
    match = SPELLING.fullmatch(value)
    if not match:
        raise ValueError(f"{value!r} is not a shard: write I/N, such as 1/4")
    index, count = int(match[1]), int(match[2])
    if not 1 <= count <= MAX_SHARDS:
        raise ValueError(f"{value!r}: the number of shards must be 1 to {MAX_SHARDS}")
    if not 1 <= index <= count:
        raise ValueError(f"{value!r}: the shard must be 1 to {count} (shards count from 1)")
    return Shard(index, count)


def key(path: Path) -> str:
    """The name a path is hashed by: relative to the current folder, with
    `/` between parts, `.` and `..` resolved by name (not by following
    links), so `source/a.md`, `./source/a.md` and its absolute path are one."""
    return Path(os.path.relpath(os.path.abspath(path))).as_posix()


def shard_of(path: Path, count: int) -> int:
    """The shard, 1 … count, that `path` belongs to."""
    digest = int.from_bytes(hashlib.sha256(key(path).encode("utf-8")).digest()[:8], "big")
    return jump(digest, count) + 1


def jump(digest: int, buckets: int) -> int:
    """Jump consistent hash: the bucket, 0 … buckets - 1, of a 64-bit key."""
    bucket, candidate = -1, 0
    while candidate < buckets:
        bucket = candidate
        digest = (digest * 2862933555777941757 + 1) & 0xFFFFFFFFFFFFFFFF
        candidate = int((bucket + 1) * ((1 << 31) / ((digest >> 33) + 1)))
    return bucket
