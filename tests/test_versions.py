"""pipeline/weasy/versions.py: a patch that no longer fits WeasyPrint, pydyf or
pyphen is left out; the PDF is still made, with one warning naming it.

Upstream changes are simulated in this process: a private name renamed
where it is defined and everywhere its package uses it, a parameter added,
another version installed.
"""

from __future__ import annotations

import inspect
import json
import os
import pkgutil
import re
import subprocess
import sys
import tomllib
import types

import pytest

from pipeline.run.build import load
from rendering import pdf_of
from pipeline.weasy import (artifacts, box_memory, colour_fonts, declarations, hyphenation, layout_memory, line_breaks,
                             page_styles, pdf_writer, style_memory, typeset, versions)
from pipeline.weasy.versions import Need, Patch, names_in, unmet

from conftest import ROOT
from readers import pdf_struct_elements, pdf_text, pdf_xmp

PATCHES = {patch.name: patch for patch in (artifacts.PATCH, page_styles.PATCH, pdf_writer.PATCH,
                                           hyphenation.PATCH, typeset.XMP, typeset.DEFERRAL,
                                           line_breaks.PATCH, declarations.PATCH,
                                           colour_fonts.PATCH, layout_memory.PATCH, layout_memory.PAGES,
                                           style_memory.PATCH, box_memory.PATCH)}

SOURCE = ("---\ntitle: Versions\nshort_title: Versions\nclassification: UNCLASSIFIED\nlang: en-US\n---\n"
          + "\n\n".join(f"## Part {n}\n\n" + "Interdepartmental representatives met again. " * 30
                        for n in range(1, 4)) + "\n")


@pytest.fixture(autouse=True)
def unpatched(tmp_path, monkeypatch):
    """WeasyPrint, pydyf and pyphen as a new process finds them, without our
    patches (an earlier build in this process applied them), so a simulated
    upstream change reaches their own functions; as before afterwards."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    typeset.import_weasyprint()
    before = {patch.name: [(owner, name, getattr(owner, name)) for owner, name, _ in patch.replaced]
              for patch in PATCHES.values()}
    replaced = {patch.name: list(patch.replaced) for patch in PATCHES.values()}
    for patch in PATCHES.values():
        undo(patch)
    yield
    monkeypatch.undo()  # the simulated changes first: they moved what the patches replace
    for patch in PATCHES.values():
        undo(patch)  # what this test's builds applied
        patch.replaced[:] = replaced[patch.name]
        for owner, name, value in before[patch.name]:
            setattr(owner, name, value)


def undo(patch: Patch) -> None:
    for owner, name, original in reversed(patch.replaced):
        setattr(owner, name, original)
    patch.replaced.clear()


def build(folder):
    """A briefing's PDF, made in this process as `briefing` makes it, and
    the messages of its warnings."""
    source = folder / "versions.md"
    source.write_text(SOURCE, encoding="utf-8")
    data, problems = pdf_of(load(source))
    assert all(problem.warning for problem in problems)
    pdf = folder / "versions.pdf"
    pdf.write_bytes(data)
    return pdf, [problem.message for problem in problems]


def rename(monkeypatch, owner, old: str, new: str, within: tuple[str, ...]) -> None:
    """Upstream renaming `old` to `new`, as far as Python can tell: the
    attribute of `owner` (a module or class; None for one set only on
    instances) under its new name, and every function of the packages
    `within` referring to it by that name."""
    if owner is not None:
        monkeypatch.setattr(owner, new, inspect.getattr_static(owner, old), raising=False)
        monkeypatch.delattr(owner, old)
    for function in functions(within):
        if old in names_in(function.__code__):
            monkeypatch.setattr(function, "__code__", renamed(function.__code__, old, new))


def renamed(code: types.CodeType, old: str, new: str) -> types.CodeType:
    return code.replace(
        co_names=tuple(new if name == old else name for name in code.co_names),
        co_consts=tuple(renamed(c, old, new) if isinstance(c, types.CodeType) else c
                        for c in code.co_consts))


def functions(packages: tuple[str, ...]):
    """Every function and method defined in the loaded modules of `packages`."""
    seen: set[int] = set()
    for name, module in list(sys.modules.items()):
        if module is None or name.partition(".")[0] not in packages:
            continue
        for value in list(vars(module).values()):
            members = list(vars(value).values()) if isinstance(value, type) and value.__module__ == name \
                else [value]
            for member in members:
                for function in unwrapped(member):
                    if function.__module__ == name and id(function) not in seen:
                        seen.add(id(function))
                        yield function


def unwrapped(member):
    if isinstance(member, property):
        members = [member.fget, member.fset]
    elif isinstance(member, (staticmethod, classmethod)):
        members = [member.__func__]
    else:
        members = [member]
    for function in members:
        while isinstance(function, types.FunctionType):
            yield function
            function = getattr(function, "__wrapped__", None)


def the_warning(messages: list[str], patch: Patch) -> str:
    assert len(messages) == 1, messages
    [message] = messages
    assert message.startswith(f"PDF: skipped the {patch.name} patch (") and patch.cost in message
    return message


def made(pdf) -> str:
    text = pdf_text(pdf)
    assert "Part 3" in text and "Interdepartmental" in text and "UNCLASSIFIED" in text
    return text


# What each patch replaces or leans on, renamed upstream: each case names
# the patch, the owner of the name (None: an attribute of instances), the
# name, and the packages that use it.
RENAMED = {
    "tag builder": ("page furniture artifacts", "weasyprint.pdf.tags", "_build_box_tree", ("weasyprint",)),
    "page drawing": ("page furniture artifacts", "weasyprint.document", "draw_page", ("weasyprint",)),
    "stream marking": ("page furniture artifacts", "weasyprint.pdf.stream:Stream", "marked", ("weasyprint",)),
    "page style setter": ("page styles", "weasyprint.layout.page", "set_page_type_computed_styles",
                          ("weasyprint",)),
    "page rules": ("page styles", None, "_sheets", ("weasyprint",)),
    "line splitter": ("line breaks", "weasyprint.layout.inline", "split_first_line", ("weasyprint",)),
    "zlib": ("PDF writer", "pydyf", "zlib", ("pydyf",)),
    "page references": ("PDF writer", "pydyf:PDF", "page_references", ("pydyf", "weasyprint")),
    "pyphen's cache": ("hyphenation cache", "pyphen", "hdcache", ("pyphen",)),
    "RDF generator": ("XMP metadata", "weasyprint.pdf.metadata:DocumentMetadata", "generate_rdf_metadata",
                      ("weasyprint",)),
}


@pytest.mark.parametrize("case", RENAMED)
def test_a_renamed_internal_gives_a_pdf_and_one_warning(case, tmp_path, monkeypatch):
    name, owner, old, within = RENAMED[case]
    patch = PATCHES[name]
    rename(monkeypatch, owner and pkgutil.resolve_name(owner), old, f"{old}_renamed", within)
    pdf, messages = build(tmp_path)
    made(pdf)
    assert old in the_warning(messages, patch)
    assert not patch.applied


def test_a_changed_signature_gives_a_pdf_and_one_warning(tmp_path, monkeypatch):
    from weasyprint.layout import page

    original = page.set_page_type_computed_styles
    monkeypatch.setattr(page, "set_page_type_computed_styles",
                        lambda page_type, html, style_for, context=None: original(page_type, html, style_for))
    pdf, messages = build(tmp_path)
    made(pdf)
    assert "takes (page_type, html, style_for, context), not (page_type, html, style_for)" in \
        the_warning(messages, page_styles.PATCH)


@pytest.mark.parametrize("name", [name for name in PATCHES if name != "deferred fontTools modules"])
def test_a_patch_written_for_another_version_gives_a_pdf_and_one_warning(name, tmp_path, monkeypatch):
    patch = PATCHES[name]
    distribution, version = next(iter(patch.written_for.items()))  # its first package
    monkeypatch.setattr(patch, "written_for", {**patch.written_for, distribution: "0.1"})
    pdf, messages = build(tmp_path)
    made(pdf)
    assert f"(written for {distribution} 0.1, found {version})" in the_warning(messages, patch)


def test_another_weasyprint_skips_each_of_its_patches_once(tmp_path, monkeypatch):
    real = versions.installed
    monkeypatch.setattr(versions, "installed", lambda name: "71.0" if name == "weasyprint" else real(name))
    pdf, messages = build(tmp_path)
    made(pdf)
    assert sorted(messages) == sorted(
        f"PDF: skipped the {patch.name} patch (written for weasyprint 70.0, found 71.0): {patch.cost}"
        for patch in PATCHES.values() if "weasyprint" in patch.written_for)
    assert len(messages) == 11


def test_without_the_artifacts_patch_the_furniture_is_tagged_text(tmp_path, monkeypatch):
    monkeypatch.setattr(artifacts.PATCH, "written_for", {"weasyprint": "0.1"})
    pdf, messages = build(tmp_path)
    assert "accessibility tagging is degraded" in messages[0]
    made(pdf)
    # As WeasyPrint tags it on its own: the furniture's elements hang from nothing.
    elements, reached = pdf_struct_elements(pdf)
    assert 0 < reached < elements


def test_without_the_xmp_patch_the_markings_stay_in_the_info_dictionary(tmp_path, monkeypatch):
    monkeypatch.setattr(typeset.XMP, "written_for", {"weasyprint": "0.1"})
    pdf, messages = build(tmp_path)
    the_warning(messages, typeset.XMP)
    assert "urn:briefing:markings" not in pdf_xmp(pdf)
    info = subprocess.run(["pdfinfo", "-custom", pdf], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Classification:\s+UNCLASSIFIED", info)
    monkeypatch.undo()
    pdf, messages = build(tmp_path)
    assert messages == [] and "urn:briefing:markings" in pdf_xmp(pdf)


DEFERRAL_SKIPPED = """
import json, sys
from pathlib import Path
from pipeline.weasy import versions
real = versions.installed
versions.installed = lambda name: "5.0.0" if name == "fonttools" else real(name)
from pipeline.weasy.typeset import import_weasyprint
import_weasyprint()
loaded = "fontTools.subset" in sys.modules
from pipeline.problems import Reporter
from pipeline.run.build import Options, context, load, render
doc = load(Path(sys.argv[1]))
reporter = Reporter(doc.path)
data = render(doc, "pdf", context(doc, Options()), reporter).data
problems = reporter.warnings
print(json.dumps([loaded, data[:5].decode(), [p.message for p in problems]]))
"""


def test_another_fonttools_imports_weasyprint_as_usual(tmp_path):
    source = tmp_path / "versions.md"
    source.write_text(SOURCE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    shown = subprocess.run([sys.executable, "-c", DEFERRAL_SKIPPED, source], env=env,
                           capture_output=True, text=True, check=True).stdout
    loaded, start, messages = json.loads(shown)
    assert loaded and start == "%PDF-"
    assert "(written for fonttools 4.68.0, found 5.0.0)" in the_warning(messages, typeset.DEFERRAL)


def test_every_patch_fits_what_is_installed():
    assert {name: patch.misfit() for name, patch in PATCHES.items()} == dict.fromkeys(PATCHES)


def test_the_patches_are_written_for_the_pinned_versions():
    pinned = dict(line.split("==") for line in tomllib.loads(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"])
    required = dict(line.strip().split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
                    if "==" in line)
    for patch in PATCHES.values():
        for distribution, version in patch.written_for.items():
            assert pinned[distribution] == required[distribution] == version, (patch.name, distribution)


def test_a_need_is_checked_for_presence_signature_uses_and_attributes():
    tags = "weasyprint.pdf.tags"
    assert unmet(Need(tags, "_build_box_tree", ("box", "parent", "pdf", "page_number", "nums",
                                                "annotations", "tags"), uses=("_build_box_tree",))) is None
    assert unmet(Need("weasyprint.pdf.tagz", "x")) == "weasyprint.pdf.tagz is gone"
    assert unmet(Need(f"{tags}:Nothing", "x")) == f"{tags}.Nothing is gone"
    assert unmet(Need(tags, "_tree")) == f"{tags}._tree is gone"
    assert unmet(Need(tags, "_build_box_tree", ("box",))).startswith(f"{tags}._build_box_tree takes (box, parent")
    assert unmet(Need(tags, "_build_box_tree", uses=("elsewhere",))) == \
        f"{tags}._build_box_tree no longer uses elsewhere"
    assert unmet(Need("pydyf", "zlib", ("level",))) == "pydyf.zlib is not callable"
    assert unmet(Need("pydyf:PDF", "page_references", ("self",))) is None  # a property: its function
    assert unmet(Need("weasyprint.layout.page", "PageType", has=("side", "rank"))) == \
        "weasyprint.layout.page.PageType has no rank"
