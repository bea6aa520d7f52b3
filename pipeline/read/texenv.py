"""LaTeX environments written as blocks (`\\begin{figure}` … `\\end{figure}`),
as pandoc reads them: raw TeX, for LaTeX's output.

Academic Markdown (a thesis template, ReScience articles) writes figures
and spacing in LaTeX where pandoc will make a PDF through it. Python-
Markdown read such a block as a paragraph of its TeX, mangled. Here, on
lines outside code that open a block:

- a mathematics environment (`align`, `equation`, `gather`, their starred
  forms …) is display mathematics, as Quarto, MyST and pandoc's MathJax
  output show it: its lines become a `$$` formula, numbered by none;
- any other environment becomes a ```` ```{=latex} ```` block, which the
  reader leaves out with its warning, as pandoc leaves it out of HTML and
  Word.

An environment never closed is left as written. Lines carry read/
markdown.py's markers by now, which stay with them.
"""

from __future__ import annotations

import re

from markdown.preprocessors import Preprocessor

from pipeline.read.inlines import fence_after

MARKS = re.compile("\t?[\ue000-\uf8ff]{2}")
BEGIN = re.compile(r"(?P<indent>[ ]{0,3})\\begin\{(?P<name>[A-Za-z]+\*?)\}")
MATH = frozenset(f"{name}{star}" for name in ("align", "equation", "gather", "multline", "flalign",
                                             "alignat", "eqnarray") for star in ("", "*"))
MAX_LINES = 500  # an environment's lines, looked through for its end


class TexEnvironments(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any("\\begin{" in line for line in lines):
            return lines  # most documents: none
        out: list[str] = []
        fence = ""  # the fence of the code block the line is in: its text is as written
        index = 0
        while index < len(lines):
            line, plain = lines[index], MARKS.sub("", lines[index])
            if (after := fence_after(plain, fence)) is not None:
                fence = after
            elif not fence and (opening := BEGIN.match(plain)) and opens_block(out) \
                    and (end := closing(lines, index, opening["name"])) is not None:
                out += block(lines[index:end + 1], opening["name"] in MATH)
                index = end + 1
                continue
            out.append(line)
            index += 1
        return out


def opens_block(before: list[str]) -> bool:
    """Whether a line after `before` starts a block: the first, or after a blank line."""
    return not before or not MARKS.sub("", before[-1]).strip()


def closing(lines: list[str], start: int, name: str) -> int | None:
    """The index of the line that ends the environment opened on `start`
    (nested ones of its name counted), if one does."""
    depth = 0
    begin, end = f"\\begin{{{name}}}", f"\\end{{{name}}}"
    for index in range(start, min(len(lines), start + MAX_LINES)):
        plain = MARKS.sub("", lines[index])
        depth += plain.count(begin) - plain.count(end)
        if depth <= 0:
            return index if plain.rstrip().endswith(end) else None
    return None


def block(lines: list[str], math: bool) -> list[str]:
    """The environment's lines as a `$$` formula (its TeX as written) or a
    raw LaTeX block, a blank line after either."""
    if math:
        return ["$$" + lines[0], *lines[1:-1], lines[-1] + "$$", ""]
    marks = "".join(MARKS.findall(lines[0]))
    return [f"```{{=latex}}{marks}", *lines, "```", ""]
