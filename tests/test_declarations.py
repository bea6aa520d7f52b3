"""pipeline/weasy/declarations.py: WeasyPrint's C declarations parsed once per
machine and kept in the cache folder; a PDF build then loads WeasyPrint
without pycparser. Each case runs in a new process, which loads WeasyPrint
as a build does."""

import json

import cffi
import pytest

from pipeline.weasy import declarations

from processes import fresh_python

LOAD = """
import json, sys
from pipeline.weasy.typeset import import_weasyprint, typeset
import_weasyprint()  # as the PDF worker does first
from weasyprint.text.ffi import ffi, pango
from pipeline.render.printjob import PrintJob
import datetime
job = PrintJob(markup="<html lang='en'><body><p>Interdepartmental representatives met.</p></body></html>",
               path="x.md", variant="pdf/ua-1", lang="en", classification="UNCLASSIFIED", markings=(),
               made=datetime.datetime(2026, 12, 3), source="", enclosures=(), signature_field=None,
               page_limit=None)
data, warnings, pages = typeset(job)
print(json.dumps({"ffi": type(ffi).__name__, "pycparser": "pycparser" in sys.modules,
                  "units": pango.pango_units_from_double(1), "pdf": data[:5].decode(), "pages": pages,
                  "warnings": [str(w.message) for w in warnings]}), flush=True)
import os
os._exit(0)  # as the command ends (processes.fresh_python)
"""


def load_weasyprint(cache) -> dict:
    """What a new process that loads WeasyPrint and typesets a line found."""
    return json.loads(fresh_python(LOAD, cache=cache).splitlines()[-1])


def kept_files(cache):
    return sorted((cache / "briefing" / "weasyprint").glob("declarations-*.marshal"))


def test_the_first_build_prepares_them_and_the_next_loads_without_parsing_c(tmp_path):
    first = load_weasyprint(tmp_path)
    [kept] = kept_files(tmp_path)
    second = load_weasyprint(tmp_path)
    for found in (first, second):
        assert found["ffi"] == "PreparedFFI" and found["units"] == 1024
        assert found["pdf"] == "%PDF-" and found["pages"] == 1 and found["warnings"] == []
    assert second["pycparser"] is False  # the whole point: no C parsed
    assert kept_files(tmp_path) == [kept]


def test_a_damaged_file_is_made_again(tmp_path):
    load_weasyprint(tmp_path)
    [kept] = kept_files(tmp_path)
    kept.write_bytes(b"\x00not marshal")
    found = load_weasyprint(tmp_path)
    assert found["ffi"] == "PreparedFFI" and found["pdf"] == "%PDF-"
    assert kept.read_bytes() != b"\x00not marshal"


def test_data_for_other_declarations_loads_weasyprint_the_usual_way(tmp_path):
    """A file that holds another source's data (a hash that met another
    text): cdef refuses it, and WeasyPrint is imported with cffi's own FFI."""
    load_weasyprint(tmp_path)
    [kept] = kept_files(tmp_path)
    import marshal
    digest, args, kwargs = marshal.loads(kept.read_bytes())
    kept.write_bytes(marshal.dumps(("0" * 64, args, kwargs)))
    found = load_weasyprint(tmp_path)
    assert found["ffi"] == "FFI" and found["pycparser"] is True
    assert found["pdf"] == "%PDF-" and found["warnings"] == []


def test_without_a_cache_folder_the_declarations_are_still_prepared(tmp_path):
    unwritable = tmp_path / "file"
    unwritable.write_text("not a folder")
    found = load_weasyprint(unwritable)
    assert found["ffi"] == "PreparedFFI" and found["pdf"] == "%PDF-"


def test_the_prepared_ffi_is_only_weasyprints(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with declarations.prepared():
        other = cffi.FFI()  # called from here, not from weasyprint.text.ffi
    assert type(other) is cffi.FFI
    assert cffi.FFI is not None and cffi.FFI.__module__ == "cffi.api"


def test_the_cdef_refuses_other_declarations(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    digest, args, kwargs = declarations.load_or_make()
    ffi = declarations.prepared_ffi(digest)(*args, **kwargs)
    with pytest.raises(declarations.Unprepared):
        ffi.cdef("int abs(int);")
    assert ffi.sizeof("PangoRectangle") == 16  # four ints, as WeasyPrint declares it


@pytest.mark.parametrize("text", [
    b"ffi.cdef(x)",  # not a string
    b"ffi.cdef('int a;')\nffi.cdef('int b;')",  # two: which is WeasyPrint's?
    b"def (",  # not Python
])
def test_a_declaring_file_it_cannot_read_gives_no_data(text):
    assert declarations.made(text) is None


def test_the_data_is_what_cffi_makes_of_weasyprints_declarations():
    text = declarations.declaring_file().read_bytes()
    source = declarations.declared_source(text)
    assert "pango_layout_set_text" in source and "hb_subset_or_fail" in source
    digest, args, kwargs = declarations.made(text)
    assert digest == declarations.source_digest(source) and args == (declarations.PREPARED_NAME,)
    assert {"_types", "_globals", "_struct_unions"} <= set(kwargs)
