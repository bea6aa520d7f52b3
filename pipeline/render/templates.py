"""Find template files, the user's folder first, and run Jinja on them.

Templates are data: every layout, wording and style lives in `templates/`.
A user's `--templates DIR` overrides any file there by the same relative path.
Author text only ever reaches Jinja as data, never as template source.

A templates folder is an input too, from whoever shares one: Jinja runs in
its sandbox (a template cannot reach Python's internals through
`''.__class__`, nor call what is unsafe), and a file in a folder may not be
a link to anything outside that folder (a stylesheet linked to /etc/passwd
would be inlined into every page). A link inside the folder is fine.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

import yaml
from markupsafe import Markup

from pipeline import cache
from pipeline.problems import BriefingError

if TYPE_CHECKING:
    import jinja2

# libyaml's SafeLoader (in PyYAML's wheels) reads the wording files ten times
# faster than the pure-Python one; both build the same plain values.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# templates/ beside the package in a checkout; inside it in an installed wheel.
PACKAGE = Path(__file__).resolve().parent.parent
BUILTIN = next((p for p in (PACKAGE.parent / "templates", PACKAGE / "templates") if p.is_dir()),
               PACKAGE.parent / "templates")


@dataclass(frozen=True)
class Templates:
    user_dir: Path | None = None

    @property
    def folders(self) -> tuple[Path, ...]:
        return (self.user_dir, BUILTIN) if self.user_dir else (BUILTIN,)

    def path(self, name: str) -> Path:
        """A template file that is not Jinja (CSS, reference.docx)."""
        for folder in self.folders:
            candidate = folder / name
            if candidate.is_file():
                return confined(candidate, folder)
        raise BriefingError.one(str(BUILTIN / name), None, "template.missing", "template file is missing")

    def has(self, name: str) -> bool:
        """Whether a template file of that name is in one of the folders."""
        try:
            self.path(name)
        except BriefingError:
            return False
        return True

    def text(self, name: str) -> Markup:
        """A stylesheet to inline: trusted because it comes from a template folder."""
        return Markup(self.path(name).read_text(encoding="utf-8"))

    @cached_property
    def env(self) -> jinja2.Environment:
        jinja2 = jinja()
        from jinja2.sandbox import SandboxedEnvironment

        env = SandboxedEnvironment(
            loader=jinja2.ChoiceLoader([confined_loader(jinja2, f) for f in self.folders]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            bytecode_cache=bytecode_cache(jinja2),
        )
        env.filters["css_string"] = css_string
        return env

    def render(self, name: str, **values: object) -> str:
        try:
            return self.env.get_template(name).render(**values)
        except jinja().TemplateError as error:
            raise template_error(error, name) from None

    def __getstate__(self) -> dict:
        """Its folder only: a process it is sent to (run/ahead.py) makes its
        own Jinja environment, which does not pickle."""
        return {"user_dir": self.user_dir}

    def macros(self, name: str):
        """The macros of a template, callable from Python."""
        try:
            return self.env.get_template(name).module
        except jinja().TemplateError as error:
            raise template_error(error, name) from None

    def labels(self, lang: str | None = None) -> dict[str, str]:
        """The wording in `text/labels.yaml` (Contents, Page, of, ...), and
        over it that of `text/labels.LL.yaml` for the language `lang`
        (`fr-CA`: labels.fr.yaml), where the templates have one."""
        labels = self.wording("text/labels.yaml")
        primary = str(lang or "").split("-")[0].lower()
        if primary.isalpha() and self.has(f"text/labels.{primary}.yaml"):
            labels.update(self.wording(f"text/labels.{primary}.yaml"))
        return labels

    def wording(self, name: str) -> dict:
        """A YAML file of wording: text values, maybe grouped under keys."""
        path = self.path(name)
        text = path.read_text(encoding="utf-8")
        try:
            wording = parsed_wording(text)
        except yaml.YAMLError as error:
            raise BriefingError.one(str(path), None, "template.wording", f"invalid YAML: {error}") from None
        if not is_wording(wording):
            raise BriefingError.one(str(path), None, "template.wording", "wording must be key: text lines, "
                                "maybe grouped under a key")
        return {key: dict(value) if isinstance(value, dict) else value for key, value in wording.items()}


@lru_cache(maxsize=32)
def parsed_wording(text: str) -> object:
    """A wording file's YAML, parsed once per process for the same text
    (watch and a batch build again and again; a changed file is new text)."""
    return yaml.load(text, Loader=SAFE_LOADER)


def is_wording(value: object, depth: int = 0) -> TypeGuard[dict]:
    return isinstance(value, dict) and all(
        isinstance(v, str) or (depth == 0 and is_wording(v, 1)) for v in value.values())



def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,:;-_()" else f"\\{ord(c):x} " for c in str(text))
    return Markup(f'"{escaped}"')


def confined(path: Path, folder: Path) -> Path:
    """`path`, a file in a templates folder, when it is really there: not a
    link (itself, or a folder on its way) to anything outside the folder."""
    if not path.resolve().is_relative_to(folder.resolve()):
        raise BriefingError.one(str(path), None, "template.outside",
                                f"template file is a link to {path.resolve()}, outside the templates "
                                f"folder {folder}: copy the file into the folder instead")
    return path


def confined_loader(jinja2, folder: Path):
    """Jinja's file loader for `folder`, refusing a template that is a link
    out of it (an {% include %} of one too)."""
    class Confined(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            confined(Path(filename), folder)
            return source, filename, uptodate
    return Confined(str(folder))


def bytecode_cache(jinja2):
    """Compiled templates kept between runs (Jinja checks each against its
    source), which saves a fifth of a small HTML build. None where no cache
    folder can be made. A folder of its own for sandboxed code: the
    sandbox's checks are compiled in, and code compiled without them
    before must never be loaded."""
    where = cache.folder("jinja-sandboxed")
    return jinja2.FileSystemBytecodeCache(str(where)) if where else None


def jinja():
    import jinja2  # on first use: a DOCX-only build never loads Jinja

    return jinja2


def template_error(error: jinja2.TemplateError, name: str) -> BriefingError:
    where, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if not where:
        # An error while rendering: Jinja rewrites the traceback so that the
        # template's frames carry its file and line; the innermost one is it.
        frames = [(frame.f_code.co_filename, number)
                  for frame, number in traceback.walk_tb(error.__traceback__)
                  if frame.f_code.co_filename.endswith(".j2")]
        where, line = frames[-1] if frames else (name, None)
    return BriefingError.one(where, line, "template.error", f"template error: {error.message or error}")
