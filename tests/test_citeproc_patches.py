"""pipeline/transform/citeproc_patches.py: the fixes to citeproc-py apply
once, and only to the version and code they were written for."""

from __future__ import annotations

import pytest

from pipeline.transform import citeproc_patches


def test_the_fixes_replace_citeproc_pys_functions_once():
    from citeproc import model

    citeproc_patches.apply()
    replaced = (model.Name.get_option, model.Layout.render_citation, model.Label.process, model.TextCased.case)
    citeproc_patches.apply()  # a second call changes nothing
    assert (model.Name.get_option, model.Layout.render_citation, model.Label.process,
            model.TextCased.case) == replaced
    assert all(function.__module__ == citeproc_patches.__name__ for function in replaced)


def test_another_version_is_refused_before_anything_is_replaced(monkeypatch):
    import citeproc
    from citeproc import model

    monkeypatch.setattr(citeproc_patches, "applied", False)
    monkeypatch.setattr(citeproc, "__version__", "0.12.0")
    before = model.Label.process
    with pytest.raises(RuntimeError, match="citeproc-py 0.12.0: the fixes .* are for 0.11.1"):
        citeproc_patches.apply()
    assert model.Label.process is before


def test_changed_code_is_refused_by_its_fingerprint(monkeypatch):
    from citeproc import model

    monkeypatch.setattr(citeproc_patches, "applied", False)
    monkeypatch.setattr(citeproc_patches, "EXPECTED", {**citeproc_patches.EXPECTED, "Label.process": "00000000"})
    with pytest.raises(RuntimeError, match="is not what .* fixes"):
        citeproc_patches.apply()

