"""Independent readers for built outputs: poppler, qpdf, python-docx, pandoc, lxml.

Tests assert what a reader sees through these tools, never through our code.
"""

from __future__ import annotations

import atexit
import functools
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path


def tool(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          check=True, timeout=120).stdout


def pdf_info(path: Path) -> dict[str, str]:
    lines = tool("pdfinfo", path).splitlines()
    return {key.strip(): value.strip() for key, _, value in (l.partition(":") for l in lines)}


def pdf_page_size(path: Path) -> tuple[float, float]:
    width, height = re.match(r"([\d.]+) x ([\d.]+)", pdf_info(path)["Page size"]).groups()
    return float(width), float(height)


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return tool("pdftotext", "-layout", *pages, path, "-")


def pdf_band(path: Path, page: int, top: bool, height_pt: int = 60) -> str:
    """Text in the top or bottom band of a page, as a reader sees the margins."""
    width, page_height = pdf_page_size(path)
    y = 0 if top else int(page_height) - height_pt
    return tool("pdftotext", "-f", str(page), "-l", str(page), "-x", "0", "-y", str(y),
                "-W", str(int(width)), "-H", str(height_pt), path, "-")


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    rows = tool("pdffonts", path).splitlines()[2:]
    return [{"name": r.split()[0], "emb": r.split()[-5]} for r in rows]


def pdf_outline_titles(path: Path) -> list[str]:
    data = json.loads(tool("qpdf", "--json", "--json-key=outlines", path))

    def walk(items):
        for item in items:
            yield item["title"]
            yield from walk(item["kids"])
    return list(walk(data["outlines"]))


def pdf_outline_pages(path: Path) -> list[tuple[str, int]]:
    """The PDF's bookmarks in order, each with the page it leads to (qpdf)."""
    data = json.loads(tool("qpdf", "--json", "--json-key=outlines", path))

    def walk(items):
        for item in items:
            yield item["title"], item["destpageposfrom1"]
            yield from walk(item["kids"])
    return list(walk(data["outlines"]))


def pdf_structure(path: Path) -> str:
    """The PDF's tag tree with its text, as poppler reads it (what a screen
    reader follows)."""
    return tool("pdfinfo", "-struct-text", path)


def pdf_objects(path: Path) -> dict[str, dict]:
    """Every object of the PDF as qpdf's JSON shows it: {"obj:7 0 R": {"value": ...}}."""
    return json.loads(tool("qpdf", "--json=2", "--json-key=qpdf", path))["qpdf"][1]


def pdf_struct_alts(path: Path) -> dict[str, list[str]]:
    """Alternate texts of tagged elements, by tag (`Figure`: [...])."""
    objects = pdf_objects(path)
    found: dict[str, list[str]] = {}
    for obj in objects.values():
        value = obj.get("value") if isinstance(obj, dict) else None
        if isinstance(value, dict) and value.get("/Type") == "/StructElem" and "/Alt" in value:
            found.setdefault(value["/S"].lstrip("/"), []).append(value["/Alt"].removeprefix("u:"))
    return found


def pdf_page_contents(path: Path, out_dir: Path) -> dict[int, bytes]:
    """Each page's content stream, uncompressed by qpdf (QDF mode)."""
    qdf = out_dir / f"{path.stem}.qdf.pdf"
    tool("qpdf", "--qdf", "--object-streams=disable", path, qdf)
    return {int(page): stream for page, stream in re.findall(
        rb"%% Contents for page (\d+)\n.*?\bstream\n(.*?)\bendstream", qdf.read_bytes(), re.S)}


CONTENT_TOKEN = re.compile(rb"<<|>>|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\[|\]|/[^\s/<>\[\]()]*"
                           rb"|[^\s/<>\[\]()]+")
OPERATOR = re.compile(rb"[A-Za-z'\"][A-Za-z0-9*'\"]*$")


def loose_text(stream: bytes) -> int:
    """Text-showing operators of a content stream that are neither inside an
    artifact nor inside marked content tied to the structure tree (an MCID):
    content a screen reader can neither read in order nor skip (PDF/UA,
    Matterhorn checkpoint 01-005)."""
    stack: list[bool] = []
    operands: list[bytes] = []
    loose = 0
    for token in CONTENT_TOKEN.findall(stream):
        if not OPERATOR.match(token) or token in (b"true", b"false", b"null"):
            operands.append(token)
            continue
        if token in (b"BMC", b"BDC"):
            stack.append(operands[:1] == [b"/Artifact"] or b"/MCID" in operands)
        elif token == b"EMC":
            stack.pop()
        elif token in (b"Tj", b"TJ", b"'", b'"') and not any(stack):
            loose += 1
        operands = []
    return loose


def pdf_catalog(path: Path) -> dict:
    """The document catalog as qpdf reads it (strings as "u:text")."""
    objects = pdf_objects(path)
    [catalog] = [obj["value"] for obj in objects.values()
                 if isinstance(obj.get("value"), dict) and obj["value"].get("/Type") == "/Catalog"]
    return catalog


def pdf_struct_elements(path: Path) -> tuple[int, int]:
    """How many structure elements the PDF holds, and how many of them hang
    from its structure tree's root (the rest no reader reaches)."""
    objects = pdf_objects(path)
    values = {ref.removeprefix("obj:"): obj.get("value") for ref, obj in objects.items()}
    elements = {ref for ref, value in values.items()
                if isinstance(value, dict) and value.get("/Type") == "/StructElem"}
    [root] = [v for v in values.values() if isinstance(v, dict) and v.get("/Type") == "/StructTreeRoot"]
    reached: set[str] = set()
    pending = [root["/K"]]
    while pending:
        kids = pending.pop()
        if isinstance(kids, list):
            pending.extend(kids)
        elif kids in elements and kids not in reached:
            reached.add(kids)
            pending.append(values[kids].get("/K", []))
    return len(elements), len(reached)


def pdf_xmp(path: Path) -> str:
    return tool("pdfinfo", "-meta", path)


def pdf_attachments(path: Path) -> list[str]:
    """Names of the files embedded in a PDF, as `pdfdetach -list` shows them."""
    return [line.split(": ", 1)[1] for line in tool("pdfdetach", "-list", path).splitlines()[1:]]


def qpdf_check(path: Path) -> str:
    return tool("qpdf", "--check", path)


def docx_via_pandoc(path: Path) -> dict:
    import pypandoc
    return json.loads(pypandoc.convert_file(str(path), "json", format="docx"))


def pandoc_blocks(ast: dict, kind: str | tuple[str, ...]) -> list[dict]:
    """Every node of one kind (or of several) in a pandoc JSON AST, depth first."""
    kinds = (kind,) if isinstance(kind, str) else kind
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") in kinds:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(ast["blocks"])
    return found


def pandoc_text(inlines: list) -> str:
    parts = []
    for node in inlines:
        match node.get("t"):
            case "Str":
                parts.append(node["c"])
            case "Space" | "SoftBreak" | "LineBreak":
                parts.append(" ")
            case "Emph" | "Strong" | "Underline" | "Strikeout" | "SmallCaps":
                parts.append(pandoc_text(node["c"]))
            case "Link" | "Span":
                parts.append(pandoc_text(node["c"][1]))
            case "Code":
                parts.append(node["c"][1])
    return "".join(parts)


@functools.cache
def libreoffice_profile() -> Path:
    """One LibreOffice user profile for this test process, made by its first
    conversion and used by the rest (a fresh one costs LibreOffice about a
    second to set up); one per process, since two LibreOffices cannot share
    one, and removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="briefing-lo-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder / "profile"


def soffice_to_pdf(path: Path, out_dir: Path) -> Path:
    """LibreOffice's own reading of a DOCX, as a PDF."""
    return soffice_convert(path, out_dir, "pdf")


def soffice_convert(path: Path, out_dir: Path, fmt: str) -> Path:
    """LibreOffice's own reading of a DOCX, saved as `fmt` (pdf, odt)."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{libreoffice_profile()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(out_dir), str(path)],
                   capture_output=True, check=True, timeout=180)
    return out_dir / f"{path.stem}.{fmt}"


def pdf_headings(path: Path) -> list[tuple[int, str]]:
    """The PDF's heading elements (H1 … H6) in reading order, each with its
    level and its text, as `pdfinfo -struct-text` shows the tag tree."""
    headings: list[tuple[int, str]] = []
    current: tuple[int, int, list[str]] | None = None  # indent, level, texts
    for line in pdf_structure(path).splitlines():
        indent = len(line) - len(line.lstrip())
        if current and indent <= current[0]:
            headings.append((current[1], " ".join(" ".join(current[2]).split())))
            current = None
        if match := re.match(r"\s*H([1-6]) \(block\)", line):
            current = (indent, int(match[1]), [])
        elif current and (text := re.match(r'\s*"(.*)"$', line)):
            current[2].append(text[1])
    if current:
        headings.append((current[1], " ".join(" ".join(current[2]).split())))
    return headings


def html_headings(markup: str) -> list[tuple[int, str]]:
    """The HTML page's h1 … h6 in document order, each with its level and text."""
    from html.parser import HTMLParser

    found: list[tuple[int, str]] = []

    class Headings(HTMLParser):
        level = 0
        text: list[str] = []

        def handle_starttag(self, tag, attrs):
            if re.fullmatch(r"h[1-6]", tag):
                self.level, self.text = int(tag[1]), []

        def handle_endtag(self, tag):
            if re.fullmatch(r"h[1-6]", tag) and self.level:
                found.append((self.level, " ".join("".join(self.text).split())))
                self.level = 0

        def handle_data(self, data):
            if self.level:
                self.text.append(data)

    Headings().feed(markup)
    return found


def pdf_lines(path: Path) -> list[tuple[int, float, float, float, str]]:
    """Every line of text as `pdftotext -bbox-layout` finds it: (page, x
    min, x max, y min, text), in reading order."""
    from lxml import etree

    root = etree.fromstring(tool("pdftotext", "-bbox-layout", path, "-").encode("utf-8"))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    lines = []
    for number, page in enumerate(root.iterfind(".//x:page", ns), start=1):
        for line in page.iterfind(".//x:line", ns):
            words = [w.text or "" for w in line.iterfind("x:word", ns)]
            lines.append((number, float(line.get("xMin")), float(line.get("xMax")),
                          float(line.get("yMin")), " ".join(words)))
    return lines


def measure(path: Path) -> tuple[float, float]:
    """The measure a reader sees: characters in a full line of body text
    (the median of lines that run from the text's left edge to its right,
    spaces counted; not contents lines) and lines of text on a full page
    (the median of the pages between the first and the last, the banners,
    running head and page number in the margins left out)."""
    import statistics

    height = pdf_page_size(path)[1]
    lines = [line for line in pdf_lines(path) if 62 < line[3] < height - 62]
    left = statistics.mode(round(x0) for _, x0, _, _, _ in lines)
    right = max(x1 for _, x0, x1, _, text in lines if round(x0) == left and ". . ." not in text)
    full = [len(text) for _, x0, x1, _, text in lines
            if round(x0) == left and x1 >= right - 3 and ". . ." not in text and len(text) > 30]
    pages = max(page for page, *_ in lines)
    counts = [sum(1 for p, *_ in lines if p == page) for page in range(2, pages)]
    return statistics.median(full), statistics.median(counts or [0])


def pdf_images(path: Path) -> list[tuple[int, float, float, float, float]]:
    """Every image drawn on the PDF's pages as poppler's pdftohtml places
    it: (page, left, top, width, height), in points."""
    import tempfile

    from lxml import etree

    with tempfile.TemporaryDirectory() as folder:  # it writes the images out beside its XML
        xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-q", str(Path(path).resolve())],
                             capture_output=True, check=True, timeout=120, cwd=folder).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    found = []
    for page in root.iter("page"):
        scale = float(page.get("width")) / pdf_page_size(path)[0]  # its units per point
        for image in page.iter("image"):
            found.append((int(page.get("number")), *(float(image.get(k)) / scale
                                                     for k in ("left", "top", "width", "height"))))
    return found


def ooxml_errors_of(path: str | Path) -> list[str]:
    """openxml-audit's findings for one file, each `part: message`. A fresh
    validator each time (40 ms): openxml-audit 0.8.0 caches what one part
    says of another by id() of the package, so a validator that has checked
    other files can take a later file's footnotes for an earlier one's."""
    from openxml_audit.validator import OpenXmlValidator
    remember_part_verdicts()
    result = OpenXmlValidator().validate(Path(path))
    return [f"{getattr(error, 'part_uri', '?')}: {error.description}" for error in result.errors]


@functools.cache
def remember_part_verdicts() -> None:
    """The schema's verdict on a part depends on its bytes alone (the
    validator's per-part state is cleared between parts), and most of our
    DOCX files share their styles and theme, two thirds of the schema's
    work: a part met before gets its verdict again, in this process, without
    being checked twice. The semantic rules, which look across parts, still
    run on every file."""
    import hashlib
    from openxml_audit.schema.validator import SchemaValidator

    check = SchemaValidator.validate_part
    verdicts: dict[tuple[str, str | None, bytes], list] = {}

    def validate_part(self, part, context):
        data = part.raw_content
        if data is None:
            return check(self, part, context)
        key = (part.uri, part.content_type, hashlib.sha256(data).digest())
        if key in verdicts:
            context.set_part(part)
            context.errors.extend(verdicts[key])
            return context.errors
        before = len(context.errors)
        errors = check(self, part, context)
        verdicts[key] = list(errors[before:])
        return errors

    SchemaValidator.validate_part = validate_part


def banner_bars(pdf: Path, page: int, folder: Path) -> list[tuple[int, int, int, int]]:
    """The coloured bars of a page (the banners) as a reader sees them:
    (left, top, right, bottom) in points, from a 72 dpi rendering."""
    from PIL import Image
    prefix = folder / f"{pdf.stem}-bars-{page}"
    tool("pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-png", "-singlefile", pdf, prefix)
    image = Image.open(prefix.with_suffix(".png")).convert("RGB")
    coloured = [[max(p) - min(p) > 80 for p in (image.getpixel((x, y)) for x in range(image.width))]
                for y in range(image.height)]
    rows = [y for y, row in enumerate(coloured) if sum(row) > 40]
    bars, start = [], None
    for y in rows + [None]:
        if start is None:
            start = previous = y
        elif y != previous + 1:
            xs = [x for row in coloured[start:previous + 1] for x, c in enumerate(row) if c]
            bars.append((min(xs), start, max(xs), previous))
            start = previous = y
        else:
            previous = y
    return bars
