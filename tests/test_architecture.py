"""The promises the package's shape makes, checked: dependencies run one way
between the stage folders, mypy is clean, and a new node kind cannot be
forgotten by any walk over the model."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "pipeline"

# Each folder may import those after it, never those before it.
LAYERS = ["run", "docx_import", "weasy", "render", "transform", "read", "markings", "model"]


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of the package in a file, those inside
    functions included: a function-level import is still a dependency."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline."):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("pipeline.")]
    return found


def upward_imports(package: Path) -> list[str]:
    wrong = []
    for path in sorted(package.rglob("*.py")):
        folder = path.relative_to(package).parts[0]
        if folder not in LAYERS:
            continue  # cli.py, problems.py …: above or beside the stages
        for line, module in imports(path):
            other = module.split(".")[1]
            if other in LAYERS and LAYERS.index(other) < LAYERS.index(folder):
                wrong.append(f"{path.relative_to(package)}:{line}: {folder} imports {module}")
    return wrong


def test_dependencies_run_one_way():
    assert upward_imports(PACKAGE) == []


def test_the_layer_check_finds_an_upward_import(tmp_path):
    copy = tmp_path / "pipeline"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    walk = copy / "model" / "walk.py"
    walk.write_text(walk.read_text() + "\n\ndef late():\n    from pipeline.run import build\n")
    assert [w.split(": ", 1)[1] for w in upward_imports(copy)] == ["model imports pipeline.run"]


def test_the_backends_load_without_python_markdown():
    """The backends take the model, not the reading stage: a process that
    only renders (run/ahead.py) loads neither Python-Markdown nor pymdownx
    (some 25 ms), nor lxml where only HTML is made."""
    script = ("import sys; import pipeline.render.html, pipeline.render.docx, pipeline.run.build; "
              "print(' '.join(sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
    assert "docx" in loaded and "jinja2" not in loaded
    for reading in ("markdown", "pymdownx", "pipeline.read.markdown", "pipeline.read.tex", "latex2mathml"):
        assert reading not in loaded, reading
    html_only = subprocess.run([sys.executable, "-c", script.replace(", pipeline.render.docx", "")], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.split()
    assert "lxml.etree" not in html_only and "pipeline.render.omml" not in html_only


def mypy(folder: Path, incremental: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                           *([] if incremental else ["--no-incremental"]), str(folder / "pipeline")],
                          capture_output=True, text=True, cwd=folder, timeout=300)


def test_mypy_is_clean():
    # With mypy's cache, which `make test` has just filled by running mypy
    # first: what changed since is checked again, the rest is read back.
    result = mypy(ROOT, incremental=True)
    assert result.returncode == 0, result.stdout


def test_a_new_node_kind_is_named_in_every_walk_that_forgets_it(tmp_path):
    """Add a block kind and an inline kind to a copy of the model: mypy
    must name every `match` over blocks or inlines, in every backend and in
    the walks, by its file and function."""
    copy = tmp_path / "pipeline"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    nodes = copy / "model" / "nodes.py"
    text = nodes.read_text()
    text = text.replace("Inline: TypeAlias = Text |", "Inline: TypeAlias = Throwaway | Text |")
    text = text.replace("Block: TypeAlias = (Paragraph |", "Block: TypeAlias = (Sideways | Paragraph |")
    text += ('\n\n@dataclass(frozen=True, slots=True, kw_only=True)\nclass Throwaway:\n    text: str\n'
             '\n\n@dataclass(frozen=True, slots=True, kw_only=True)\nclass Sideways:\n    line: int\n')
    nodes.write_text(text)
    result = mypy(tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if "assert_never" in line
              or '"assert_never"' in line or "Argument 1 to \"assert_never\"" in line]
    places = {(Path(e.split(":")[0]).relative_to("pipeline").as_posix(), int(e.split(":")[1]))
              for e in errors}
    functions = {f"{file}:{function_at(copy / file, line)}" for file, line in places}
    # Every function that matches over the closed set of blocks or inlines.
    expected = {f"{p.relative_to(copy).as_posix()}:{name}" for p, name in matches_over_nodes(copy)}
    assert expected <= functions, sorted(expected - functions)
    # And it really covers each backend and the walks.
    for module in ("render/html.py", "model/walk.py", "transform/portions.py"):
        assert any(f.startswith(module) for f in functions), module
    assert any(f.startswith("render/docx") for f in functions)


def function_at(path: Path, line: int) -> str:
    """The innermost function around a line."""
    around = [node for node in ast.walk(ast.parse(path.read_text()))
              if isinstance(node, ast.FunctionDef) and node.lineno <= line <= (node.end_lineno or 0)]
    return max(around, key=lambda node: node.lineno).name


def matches_over_nodes(package: Path) -> list[tuple[Path, str]]:
    """The functions whose `match` ends in `assert_never`."""
    found = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "assert_never":
                found.append((path, function_at(path, node.lineno)))
    return found
