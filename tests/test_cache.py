"""pipeline/cache.py: files kept whole or not at all, and the temp files
of writers killed mid-write swept away."""

import os
import time

from pipeline import cache


def test_a_file_is_kept_whole_and_the_temp_files_killed_writers_left_go(tmp_path):
    stale = tmp_path / ".kept.bin.abcd1234.tmp"
    fresh = tmp_path / ".kept.bin.efgh5678.tmp"  # a writer at work right now
    other = tmp_path / ".other.bin.ijkl9012.tmp"  # another file's
    for path in (stale, fresh, other):
        path.write_bytes(b"\0" * 2048)
    old = time.time() - cache.STALE - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert cache.keep(tmp_path / "kept.bin", b"data")
    assert (tmp_path / "kept.bin").read_bytes() == b"data"
    assert not stale.exists() and fresh.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == [fresh.name, other.name]
