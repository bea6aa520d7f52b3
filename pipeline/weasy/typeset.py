"""Typeset a print job with WeasyPrint: the only module that imports it.

A `PrintJob` is plain data (the print markup and what the PDF's metadata
needs), made from the document by render/pdf.py and defined in
render/printjob.py, which imports nothing of the pipeline. So a PDF worker
forked at the start of a build (pipeline/run/worker.py) imports nothing but
WeasyPrint and this module while the build reads the source, and then
receives the job, small and quick to pickle.
"""

from __future__ import annotations

import ctypes.util
import logging
import re
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from pipeline import collector, lazy
from pipeline.lazy import Deferred  # noqa: F401 - the placeholder's kind, for tests
from pipeline.weasy import box_memory
from pipeline.weasy import colour_fonts
from pipeline.weasy import declarations
from pipeline.weasy import hyphenation
from pipeline.weasy import line_breaks
from pipeline.weasy import layout_memory
from pipeline.weasy import page_styles
from pipeline.weasy import style_memory
from pipeline.weasy import artifacts as pdf_artifacts
from pipeline.weasy import pdf_writer
from pipeline.weasy.enclosures import draw_enclosures
from pipeline.weasy.signature import add_signature_field
from pipeline.weasy.versions import Need, Patch
from pipeline.problems import BriefingError, Problem
from pipeline.render.printjob import ENCLOSURE_MARGINS_MM, PrintJob

CARRIES_SOURCE = ("pdf/a-3b",)  # of formats.PDF_VARIANTS


def typeset(job: PrintJob) -> tuple[bytes, list[Problem], int]:
    """The PDF, warnings (WeasyPrint's, and one for each of our patches that
    does not fit the installed packages), and its number of pages (for
    reports)."""
    weasyprint = import_weasyprint()
    xmp = XMP.check()
    skipped = [DEFERRAL.check(),  # as import_weasyprint found it
               declarations.PATCH.check(),
               pdf_artifacts.install(),  # furniture as artifacts; lists and notes tagged
               page_styles.install(),
               style_memory.install(),  # styles computed when asked for, declarations shared
               box_memory.install(),  # a box's sides lost to breaks in 40 bytes, not 216
               line_breaks.install(),  # no word hyphenated alone on a line
               layout_memory.install(),
               pages_kept := layout_memory.PAGES.check(),
               pdf_writer.install(),
               colour_fonts.install(),
               hyphenation.preload(job.lang),
               xmp]
    fetcher = offline_fetcher(weasyprint)
    attachments = [source_attachment(weasyprint, job, fetcher)] if job.variant in CARRIES_SOURCE else []
    with collected_warnings() as warnings:
        try:
            # presentational_hints: so <ol start="5"> starts at 5; the markup is ours.
            # No base URL: the markup needs none (its images are data: URIs),
            # and a link to another file (`other.md`) stays relative, as in
            # the HTML and the DOCX, not a file: URL of the build's folder.
            document = weasyprint.HTML(string=job.markup, base_url=None,
                                       url_fetcher=fetcher).render(presentational_hints=True)
            complete_metadata(document.metadata, job)
            if not xmp:
                add_to_xmp(document.metadata, job)
            # pdf_identifier: PDF/A needs one, which WeasyPrint makes from
            # the content (so it is reproducible); other PDFs go without.
            data = document.write_pdf(pdf_variant=job.variant, pdf_tags=True,
                                      pdf_identifier=None if job.variant.startswith("pdf/a") else False,
                                      attachments=attachments, custom_metadata=True,
                                      finisher=None if pages_kept else layout_memory.let_pages_go)
        except weasyprint.urls.FatalURLFetchingError as error:
            raise BriefingError.one(job.path, None, "pdf.fetch", f"PDF: {error}") from None
    data = draw_enclosures(data, job.enclosures, ENCLOSURE_MARGINS_MM)
    data = add_signature_field(data, job.signature_field)
    patches = [Problem(job.path, None, f"PDF: {patch}", code="pdf.patch-skipped",
                       severity="warning") for patch in skipped if patch]
    if job.page_limit and len(document.pages) > job.page_limit[0]:
        limit, line = job.page_limit
        patches.append(Problem(job.path, line, f"the paper runs to {len(document.pages)} pages; "
                               f"a point or talking paper keeps to {limit} (Tongue and Quill)",
                               code="staff.page-limit", severity="warning"))
    return data, [*patches, *(Problem(job.path, None, f"PDF: {message}", code="pdf.weasyprint",
                                      severity="warning")
                              for message in dict.fromkeys(warnings))], len(document.pages)


def source_attachment(weasyprint, job: PrintJob, fetcher):
    """The Markdown source as a PDF/A-3 associated file, so the briefing
    carries what it was made from; dated like the build, not like the
    moment of writing, so rebuilds stay byte-identical."""
    return weasyprint.Attachment(string=job.source.encode("utf-8"), url_fetcher=fetcher,
                                 name=Path(job.path).name, description="Markdown source",
                                 created=job.made, modified=job.made, relationship="Source")


W3C_DATE = re.compile(r"\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d))?)?)?$")


def complete_metadata(metadata, job: PrintJob) -> None:
    """What WeasyPrint read from the page's <head>, completed for archives:
    dates only in the form XMP allows (a `date: November 2026` stays on the
    title page, not in the metadata), the build time as the modification
    date, and the markings as custom entries of the PDF's Info dictionary
    (in place of what WeasyPrint gathers from the page's other <meta>
    elements). All of it WeasyPrint's documented DocumentMetadata."""
    if metadata.created and not W3C_DATE.match(metadata.created):
        metadata.created = None
    metadata.modified = job.made.strftime("%Y-%m-%dT%H:%M:%SZ")
    metadata.custom = dict(job.markings)


# Into WeasyPrint's own rdf:RDF, by a method it does not document: one
# rdf:RDF in the packet, as XMP asks (its documented `xmp_metadata` adds
# packets beside it).
XMP = Patch("XMP metadata", written_for={"weasyprint": "70.0"}, needs=(
    Need("weasyprint.pdf.metadata:DocumentMetadata", "generate_rdf_metadata",
         ("self", "variant", "version", "conformance")),
    Need("weasyprint.pdf.metadata:DocumentMetadata", "include_in_pdf", uses=("generate_rdf_metadata",)),
), cost="the XMP metadata lacks the language, classification and markings "
        "(the Info dictionary still has the markings)")


def add_to_xmp(metadata, job: PrintJob) -> None:
    """The language, the classification and the markings in the XMP packet
    too (every variant carries one), with the PDF/A extension schema that
    declares the markings, as PDF/A asks of a namespace it does not know."""
    rdf_of = metadata.generate_rdf_metadata
    markings_rdf = xmp_markings(job.markings)

    def with_briefing_properties(*args, **kwargs) -> bytes:
        rdf = ElementTree.fromstring(rdf_of(*args, **kwargs))
        description = ElementTree.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
        bag = ElementTree.SubElement(ElementTree.SubElement(description, f"{{{DC}}}language"),
                                     f"{{{RDF}}}Bag")
        ElementTree.SubElement(bag, f"{{{RDF}}}li").text = job.lang
        rights = ElementTree.SubElement(ElementTree.SubElement(description, f"{{{DC}}}rights"),
                                        f"{{{RDF}}}Alt")
        ElementTree.SubElement(rights, f"{{{RDF}}}li", {"xml:lang": "x-default"}).text = \
            job.classification
        data = ElementTree.tostring(rdf, encoding="utf-8")
        return data[:data.rindex(RDF_END)] + markings_rdf + RDF_END if RDF_END in data else data

    metadata.generate_rdf_metadata = with_briefing_properties


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"


XMP_NAMESPACE = "urn:briefing:markings:1"
RDF_END = b"</rdf:RDF>"


def xmp_markings(properties: tuple[tuple[str, str], ...]) -> bytes:
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    fields = "".join(f"<mrk:{name}>{escape(value)}</mrk:{name}>" for name, value in properties)
    declared = "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{name}</pdfaProperty:name>"
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{name} marking</pdfaProperty:description></rdf:li>"
        for name, _ in properties)
    return (
        f'<rdf:Description xmlns:rdf="{rdf}" rdf:about="" xmlns:mrk="{XMP_NAMESPACE}">{fields}'
        "</rdf:Description>"
        f'<rdf:Description xmlns:rdf="{rdf}" rdf:about="" '
        'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
        'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
        'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
        '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
        "<pdfaSchema:schema>Classification and handling markings</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{XMP_NAMESPACE}</pdfaSchema:namespaceURI>"
        "<pdfaSchema:prefix>mrk</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{declared}</rdf:Seq></pdfaSchema:property>"
        "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>").encode("utf-8")


def import_weasyprint():
    """WeasyPrint, imported once per process (see import_quickly), its
    modules then kept out of the garbage collector's walks."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    try:
        return import_quickly()
    finally:
        collector.settle()  # WeasyPrint's modules live as long as the process


def import_quickly():
    """Import WeasyPrint without its slowest step.

    cffi asks `ctypes.util.find_library` about each library name WeasyPrint
    tries before the one that loads, and on Linux every such question runs
    ldconfig, gcc and ld: some fifty processes, a quarter of a second. The
    names that load (`libpango-1.0.so.0`) need no search, so we answer "not
    found" while importing, and import again normally if that was not enough.
    """
    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with deferred_modules() if not DEFERRAL.check() else nullcontext(), declarations.prepared():
            import weasyprint
        return weasyprint
    except (OSError, declarations.Unprepared):
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = real
    import weasyprint
    return weasyprint


# Modules WeasyPrint loads with itself but uses only for fonts a briefing
# seldom embeds (variable fonts, subsetting without HarfBuzz): with the
# OpenType tables they pull in, 0.1 s of every PDF build. Each is a
# placeholder until used; the names are what WeasyPrint takes from them
# as it loads (`from fontTools.varLib.instancer import instantiateVariableFont`).
DEFERRED = {"fontTools.subset": (), "fontTools.varLib.instancer": ("instantiateVariableFont",)}
# Only the versions are checked: looking for the names would import the
# modules. Under other versions a placeholder could meet a use it cannot
# answer (`import fontTools.subset`, then the attribute), so WeasyPrint is
# imported as usual.
DEFERRAL = Patch("deferred fontTools modules", written_for={"weasyprint": "70.0", "fonttools": "4.68.0"},
                 needs=(), cost="each PDF build loads WeasyPrint more slowly")


def deferred_modules():
    return lazy.deferred(DEFERRED)


def offline_fetcher(weasyprint):
    """A URL fetcher that never touches the network or the disk: figures
    reach WeasyPrint as `data:` URLs (checked files, embedded by the markup),
    and nothing else is served; no redirects."""

    fetcher: Any = weasyprint.urls.URLFetcher  # known only once WeasyPrint is imported

    class OfflineFetcher(fetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False,
                             fail_on_errors=True)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise weasyprint.urls.FatalURLFetchingError(
                f"refused to fetch {url[:80]}: a briefing fetches nothing; figures are embedded")

    return OfflineFetcher()


NO_ALT = re.compile(r"^Image .* has no required alt description$", re.S)


class collected_warnings:
    """WeasyPrint reports problems (a missing glyph, a bad CSS rule) as log
    warnings; collect them so a build can fail loudly instead of shipping a
    broken PDF."""

    def __enter__(self) -> list[str]:
        self.messages: list[str] = []
        self.handler = Collector(self.messages)
        self.logger = logging.getLogger("weasyprint")
        self.logger.addHandler(self.handler)
        self.propagate, self.logger.propagate = self.logger.propagate, False
        return self.messages

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate


class Collector(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not NO_ALT.search(message):  # said by the reader, at the image's line (image.no-alt)
            self.messages.append(message)
