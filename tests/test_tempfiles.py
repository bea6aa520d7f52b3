"""tempfiles.py: a new temporary file beside its target, never one that
exists, readable by its user alone."""

import os
import stat

import pytest

from pipeline import tempfiles


def test_each_is_new_and_private(tmp_path):
    made = [tempfiles.new_temporary(tmp_path, ".out.pdf.", ".tmp") for _ in range(20)]
    paths = {path for _, path in made}
    assert len(paths) == 20
    for handle, path in made:
        os.write(handle, b"x")
        os.close(handle)
        name = os.path.basename(path)
        assert name.startswith(".out.pdf.") and name.endswith(".tmp") and os.path.dirname(path) == str(tmp_path)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_name_taken_meanwhile_is_passed_over(tmp_path, monkeypatch):
    draws = iter([b"\x00" * 6, b"\x00" * 6, b"\x01" * 6])
    monkeypatch.setattr(tempfiles.os, "urandom", lambda size: next(draws))
    first, second = (tempfiles.new_temporary(tmp_path, "p.", ".tmp") for _ in range(2))
    assert first[1].endswith("p.000000000000.tmp") and second[1].endswith("p.010101010101.tmp")
    for handle, _ in (first, second):
        os.close(handle)


def test_no_folder_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        tempfiles.new_temporary(tmp_path / "missing", "p.", ".tmp")


def test_a_folder_where_every_name_is_taken_gives_up(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfiles.os, "urandom", lambda size: b"\x00" * size)
    handle, _ = tempfiles.new_temporary(tmp_path, "p.", ".tmp")
    os.close(handle)
    with pytest.raises(FileExistsError):
        tempfiles.new_temporary(tmp_path, "p.", ".tmp")
