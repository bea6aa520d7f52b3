"""model.Document -> PDF bytes: the HTML backend's markup with the print
templates, typeset by WeasyPrint. WeasyPrint is imported here only, so a
build that asks for no PDF never pays for it.
"""

from __future__ import annotations

import ctypes.util
import logging
import re
import sys
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from markupsafe import Markup

from pipeline import marking_blocks, pdf_artifacts
from pipeline import model as m
from pipeline.clock import build_time
from pipeline.errors import BriefingError, Problem
from pipeline.render_html import page, stylesheets
from pipeline.templating import Templates


CARRIES_SOURCE = ("pdf/a-3b",)  # of model.PDF_VARIANTS


def render_pdf(doc: m.Document, templates: Templates,
               variant: str = m.PDF_VARIANTS[0]) -> tuple[bytes, list[Problem]]:
    """The PDF and the warnings WeasyPrint gave while making it."""
    data, warnings, _ = typeset(doc, templates, variant)
    return data, warnings


def typeset(doc: m.Document, templates: Templates,
            variant: str = m.PDF_VARIANTS[0]) -> tuple[bytes, list[Problem], int]:
    """The PDF, WeasyPrint's warnings, and its number of pages (for reports)."""
    weasyprint = import_weasyprint()  # heavy: only when a PDF is asked for
    pdf_artifacts.install()  # banners and page numbers as artifacts
    styles = stylesheets(templates, ("html/theme.css", "html/style.css", "print/print.css"))
    first_page = marking_blocks.first_page_blocks(doc.meta, templates)  # worded once
    markup = page(doc, templates, "print/page.html.j2", resolve_custom_properties(styles),
                  footnotes_in_place=True, first_page=first_page)
    fetcher = offline_fetcher(weasyprint)
    attachments = [source_attachment(weasyprint, doc, fetcher)] if variant in CARRIES_SOURCE else []
    with collected_warnings() as warnings:
        try:
            # presentational_hints: so <ol start="5"> starts at 5; the markup is ours.
            document = weasyprint.HTML(string=markup, base_url=str(Path(doc.path).parent),
                                       url_fetcher=fetcher).render(presentational_hints=True)
            complete_metadata(document.metadata, doc)
            add_markings(document.metadata, marking_blocks.marking_properties(doc.meta, first_page))
            # pdf_identifier: PDF/A needs one, which WeasyPrint makes from
            # the content (so it is reproducible); other PDFs go without.
            data = document.write_pdf(pdf_variant=variant, pdf_tags=True,
                                      pdf_identifier=None if variant.startswith("pdf/a") else False,
                                      attachments=attachments, custom_metadata=True)
        except weasyprint.urls.FatalURLFetchingError as error:
            raise BriefingError(doc.path, None, f"PDF: {error}") from None
    return data, [Problem(doc.path, None, f"PDF: {message}", warning=True)
                  for message in dict.fromkeys(warnings)], len(document.pages)


def source_attachment(weasyprint, doc: m.Document, fetcher):
    """The Markdown source as a PDF/A-3 associated file, so the briefing
    carries what it was made from; dated like the build, not like the
    moment of writing, so rebuilds stay byte-identical."""
    when = build_time(doc.path)
    return weasyprint.Attachment(string=doc.source.encode("utf-8"), url_fetcher=fetcher,
                                 name=Path(doc.path).name, description="Markdown source",
                                 created=when, modified=when, relationship="Source")


W3C_DATE = re.compile(r"\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d))?)?)?$")


def complete_metadata(metadata, doc: m.Document) -> None:
    """What WeasyPrint read from the page's <head>, completed for archives:
    dates only in the form XMP allows (a `date: November 2026` stays on the
    title page, not in the metadata), the build time as the modification
    date, and the language and classification in the XMP packet too."""
    if metadata.created and not W3C_DATE.match(metadata.created):
        metadata.created = None
    metadata.modified = build_time(doc.path).strftime("%Y-%m-%dT%H:%M:%SZ")
    rdf_of = metadata.generate_rdf_metadata

    def with_language_and_rights(*args):
        rdf = ElementTree.fromstring(rdf_of(*args))
        description = ElementTree.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
        bag = ElementTree.SubElement(ElementTree.SubElement(description, f"{{{DC}}}language"),
                                     f"{{{RDF}}}Bag")
        ElementTree.SubElement(bag, f"{{{RDF}}}li").text = doc.meta.lang
        rights = ElementTree.SubElement(ElementTree.SubElement(description, f"{{{DC}}}rights"),
                                        f"{{{RDF}}}Alt")
        ElementTree.SubElement(rights, f"{{{RDF}}}li", {"xml:lang": "x-default"}).text = \
            doc.meta.classification
        return ElementTree.tostring(rdf, encoding="utf-8")

    metadata.generate_rdf_metadata = with_language_and_rights


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"


XMP_NAMESPACE = "urn:briefing:markings:1"
RDF_END = b"</rdf:RDF>"


def add_markings(metadata, properties: list[tuple[str, str]]) -> None:
    """The markings as custom entries of the PDF's Info dictionary (in place
    of what WeasyPrint gathers from the page's other <meta> elements) and
    as XMP properties inside WeasyPrint's own rdf:RDF, whenever the PDF
    carries XMP (every variant), with the PDF/A extension schema that
    declares them, as PDF/A asks of a namespace it does not know."""
    metadata.custom = dict(properties)
    markings_rdf = xmp_markings(properties)
    generate = metadata.generate_rdf_metadata

    def with_markings(*args, **kwargs) -> bytes:
        rdf = generate(*args, **kwargs)
        return rdf[:rdf.rindex(RDF_END)] + markings_rdf + RDF_END if RDF_END in rdf else rdf

    metadata.generate_rdf_metadata = with_markings


def xmp_markings(properties: list[tuple[str, str]]) -> bytes:
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


ROOT_RULE = re.compile(r":root\s*\{([^{}]*)\}")
DECLARATION = re.compile(r"(--[\w-]+)\s*:\s*([^;{}]+?)\s*(?:;|$|(?=\}))")
USE = re.compile(r"var\(\s*(--[\w-]+)\s*\)")


def resolve_custom_properties(css: Markup) -> Markup:
    """Put the values of `:root { --name: value }` where `var(--name)` stands.

    WeasyPrint resolves var() for every element and property, a third of
    its layout time for our stylesheets; the values are fixed for a print,
    so we substitute them once. A var() with a fallback, or a name no :root
    rule defines, is left to WeasyPrint.
    """
    values: dict[str, str] = {}
    for rule in ROOT_RULE.finditer(css):
        values.update(DECLARATION.findall(rule[1]))
    # A property some other rule sets (a banner colour per level) varies by
    # element: leave it to WeasyPrint.
    outside_root = ROOT_RULE.sub("", css)
    for name in {name for name, _ in DECLARATION.findall(outside_root)}:
        values.pop(name, None)
    for _ in range(3):  # values may themselves use var()
        values = {name: USE.sub(lambda use: values.get(use[1], use[0]), value)
                  for name, value in values.items()}
    return Markup(USE.sub(lambda use: values.get(use[1], use[0]), css))


def import_weasyprint():
    """Import WeasyPrint without its slowest step.

    cffi asks `ctypes.util.find_library` about each library name WeasyPrint
    tries before the one that loads, and on Linux every such question runs
    ldconfig, gcc and ld: some fifty processes, a quarter of a second. The
    names that load (`libpango-1.0.so.0`) need no search, so we answer "not
    found" while importing, and import again normally if that was not enough.
    """
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
        return weasyprint
    except OSError:
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = real
    import weasyprint
    return weasyprint


def offline_fetcher(weasyprint):
    """A URL fetcher that never touches the network or the disk: figures
    reach WeasyPrint as `data:` URLs (checked files, embedded by the markup),
    and nothing else is served; no redirects."""

    class OfflineFetcher(weasyprint.urls.URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False,
                             fail_on_errors=True)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise weasyprint.urls.FatalURLFetchingError(
                f"refused to fetch {url[:80]}: a briefing fetches nothing; figures are embedded")

    return OfflineFetcher()


class collected_warnings:
    """WeasyPrint reports problems (a missing glyph, a bad CSS rule) as log
    warnings; collect them so a build can fail loudly instead of shipping a
    broken PDF."""

    def __enter__(self) -> list[str]:
        self.messages: list[str] = []
        self.handler = logging.Handler(logging.WARNING)
        self.handler.emit = lambda record: self.messages.append(record.getMessage())
        self.logger = logging.getLogger("weasyprint")
        self.logger.addHandler(self.handler)
        self.propagate, self.logger.propagate = self.logger.propagate, False
        return self.messages

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate


def warm_up() -> None:
    """What a PDF worker does before its document exists (see build.pdf_worker)."""
    import_weasyprint()
