"""Templates: the user's folder first, strict Jinja, clear errors, shipped in the wheel."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from pipeline.problems import BriefingError
from pipeline.render.templates import BUILTIN, Templates

from conftest import ROOT


def test_builtin_templates_are_the_repository_folder():
    assert BUILTIN == ROOT / "templates"
    assert Templates().path("docx/reference.docx") == ROOT / "templates" / "docx" / "reference.docx"


def test_user_folder_wins_file_by_file(tmp_path: Path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "labels.yaml").write_text("contents: Inhalt\npage: Seite\nof: von\n")
    templates = Templates(tmp_path)
    assert templates.labels()["contents"] == "Inhalt"
    assert templates.path("html/style.css") == BUILTIN / "html" / "style.css"


def test_autoescape_and_strict_undefined(tmp_path: Path):
    (tmp_path / "t.j2").write_text("<p>{{ text }}</p>\n{{ missing }}")
    templates = Templates(tmp_path)
    with pytest.raises(BriefingError) as caught:
        templates.render("t.j2", text="x")
    assert str(caught.value) == f"{tmp_path / 't.j2'}:2: template error: 'missing' is undefined"
    (tmp_path / "t.j2").write_text("<p>{{ text }}</p>")
    assert templates.render("t.j2", text="<b>{{ 7*7 }}</b>") == "<p>&lt;b&gt;{{ 7*7 }}&lt;/b&gt;</p>"


def test_broken_template_names_file_and_line(tmp_path: Path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "blocks.html.j2").write_text("ok\n{% macro paragraph(content) %}\n{% if %}\n")
    with pytest.raises(BriefingError) as caught:
        Templates(tmp_path).macros("html/blocks.html.j2")
    problem = caught.value.problems[0]
    assert problem.path.endswith("blocks.html.j2") and problem.line == 3


def test_stylesheet_text_is_trusted_markup():
    css = Templates().text("html/style.css")
    assert isinstance(css, Markup) and "font-family" in css


def test_missing_template_file():
    with pytest.raises(BriefingError, match="template file is missing"):
        Templates().path("html/nothing.css")


def test_wheel_carries_the_templates(tmp_path: Path):
    # Built from a copy: setuptools works in ./build, the folder of the briefings.
    source = tmp_path / "src"
    for name in ("pipeline", "templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "wheel"), str(source)], check=True, capture_output=True)
    wheel = next((tmp_path / "wheel").glob("briefing-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(tmp_path / "site"), str(wheel)], check=True, capture_output=True)
    found = subprocess.run(
        [sys.executable, "-c", "from pipeline.render.templates import Templates; "
         "print(Templates().path('docx/reference.docx'))"],
        cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site")}, capture_output=True, text=True)
    assert found.stdout.strip() == str(tmp_path / "site" / "pipeline" / "templates" / "docx" / "reference.docx")
    # Every module too: pyproject.toml names each package folder.
    shipped = {p.relative_to(tmp_path / "site") for p in (tmp_path / "site" / "pipeline").rglob("*.py")}
    assert {p.relative_to(ROOT) for p in (ROOT / "pipeline").rglob("*.py")} <= shipped


def test_css_string_cannot_break_out_of_a_style_element():
    from pipeline.render.templates import css_string
    assert css_string("Page") == '"Page"'
    quoted = css_string('a"</style><script>')
    assert '"' not in quoted[1:-1] and "<" not in quoted and "\\22 " in quoted


def test_compiled_templates_are_cached_and_checked_against_their_source(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "x.j2").write_text("one")
    assert Templates(tmp_path / "t").render("x.j2") == "one"
    assert list((tmp_path / "cache" / "briefing" / "jinja-sandboxed").iterdir())
    (tmp_path / "t" / "x.j2").write_text("two")
    assert Templates(tmp_path / "t").render("x.j2") == "two"


# A templates folder is an input too ---------------------------------------------

def test_a_template_runs_in_jinja_s_sandbox(tmp_path: Path):
    """The usual escape from Jinja to the shell: through a global's
    function to its module's `os`. In the sandbox it is a template error,
    and nothing ran."""
    from conftest import FIXTURES, run_cli
    ran = tmp_path / "ran"
    (tmp_path / "house" / "html").mkdir(parents=True)
    page = (BUILTIN / "html" / "page.html.j2").read_text()
    (tmp_path / "house" / "html" / "page.html.j2").write_text(
        page + f"{{{{ cycler.__init__.__globals__.os.popen('touch {ran}').read() }}}}\n")
    result = run_cli("build", FIXTURES / "elements.md", "--to", "html", "--templates", tmp_path / "house",
                     "--out", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{tmp_path / 'house' / 'html' / 'page.html.j2'}:")
    assert "template error: access to attribute '__init__' of 'type' object is unsafe" in result.stderr
    assert not ran.exists() and not (tmp_path / "out").exists()
    with pytest.raises(BriefingError, match="is unsafe"):
        (tmp_path / "t.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
        Templates(tmp_path).render("t.j2")


def test_a_link_out_of_the_templates_folder_is_refused(tmp_path: Path):
    """A stylesheet linked to a file outside would be inlined into every
    page (/etc/passwd, or a key); a template or wording file likewise."""
    from conftest import FIXTURES, run_cli
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-KEY\n")
    house = tmp_path / "house"
    (house / "html").mkdir(parents=True)
    (house / "html" / "style.css").symlink_to(secret)
    result = run_cli("build", FIXTURES / "elements.md", "--to", "html", "--templates", house,
                     "--out", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    said = result.stderr.splitlines()[0]  # (a long path is shortened in a message)
    assert said.startswith(f"{house / 'html' / 'style.css'}: template file is a link to ")
    assert said.endswith(": copy the file into the folder instead") and "outside the templates folder" in said
    assert not (tmp_path / "out").exists()

    (house / "html" / "style.css").unlink()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.j2").write_text("{{ 1 }}")
    (house / "linked").symlink_to(tmp_path / "elsewhere")  # a folder on the way
    with pytest.raises(BriefingError, match="outside the templates folder"):
        Templates(house).render("linked/x.j2")
    with pytest.raises(BriefingError, match="outside the templates folder"):
        Templates(house).path("linked/x.j2")


def test_a_link_inside_the_templates_folder_is_fine(tmp_path: Path):
    (tmp_path / "html").mkdir()
    (tmp_path / "shared.css").write_text("p { color: red }")
    (tmp_path / "html" / "style.css").symlink_to(tmp_path / "shared.css")
    assert Templates(tmp_path).text("html/style.css") == "p { color: red }"


def test_wording_is_read_again_when_its_file_changed_and_each_caller_gets_its_own(tmp_path: Path):
    (tmp_path / "text").mkdir()
    labels = tmp_path / "text" / "labels.yaml"
    labels.write_text("contents: Inhalt\nbanner:\n  top: Oben\n", encoding="utf-8")
    templates = Templates(tmp_path)
    first = templates.labels()
    assert first["contents"] == "Inhalt"
    first["contents"] = "changed by a caller"
    first["banner"]["top"] = "changed too"
    assert templates.labels() == {"contents": "Inhalt", "banner": {"top": "Oben"}}  # parsed once, copied
    labels.write_text("contents: Sommaire\nbanner:\n  top: Haut\n", encoding="utf-8")  # as watch sees a save
    assert templates.labels() == {"contents": "Sommaire", "banner": {"top": "Haut"}}
    labels.write_text("contents: [a list]\n", encoding="utf-8")
    with pytest.raises(BriefingError, match="wording must be key: text lines"):
        templates.labels()
