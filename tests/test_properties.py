"""Generated Markdown and front matter through parse and all three backends.

The only failure allowed is a BriefingError; no output may hold a C0
control character or a link with a scheme we do not allow."""

import re
import zipfile
from io import BytesIO

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.run.build import load
from rendering import formats_of
from pipeline.problems import BriefingError
from fuzzing import examples

PIECES = ["# ", "## ", "- ", "1. ", "> ", "    ", "```", "~~~", "|", "---", "*", "**", "_", "`",
          "[", "]", "(", ")", "![", "{#x}", "[^1]", "[^1]: ", "@sec-x", "@tbl-x", "!!! note ",
          "Table: ", ": ", "*[GIUK]: ", "GIUK", "<script>", "</b>", "&#12;", "&amp;", "{{ x }}",
          "{% y %}", "javascript:", "http://", "#", "\\", "\t", "\n", "\n\n", "text", "Привет",
          "🛰️", "\x0c", "\u2028", "\ufeff"]
markdown = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=40).map("".join)
front = st.sampled_from([
    "title: T\nclassification: UNCLASSIFIED\n",
    "title: T\nclassification: SECRET//NOFORN\ntoc: true\nnumbering: true\n",
    "title: 'T: x'\nclassification: UNCLASSIFIED\nauthors: [a, b]\nversion: '1.0'\n",
    "title: T\nclassification: UNCLASSIFIED\nlang: fr\npaper: letter\n",
    "title: [x\n", "classification: UNCLASSIFIED\n", "title: &a x\nclassification: *a\n",
])
C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
BAD_SCHEME = re.compile(r"""(?:href|src|Target)\s*=\s*["'](?:javascript|vbscript|file):""", re.I)


def check_outputs(outputs: dict[str, bytes]) -> None:
    texts = [outputs["html"].decode("utf-8")]
    with zipfile.ZipFile(BytesIO(outputs["docx"])) as package:
        texts += [package.read(name).decode("utf-8") for name in package.namelist()
                  if name.endswith((".xml", ".rels"))]
    for text in texts:
        assert not C0.search(text)
        assert not BAD_SCHEME.search(text)


@settings(max_examples=examples(25, 200), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=front, body=markdown)
def test_html_and_docx_never_fail_but_with_a_briefing_error(tmp_path_factory, front, body):
    path = tmp_path_factory.mktemp("prop") / "generated.md"
    path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    try:
        outputs = formats_of(load(path), ("html", "docx"))
    except BriefingError:
        return
    check_outputs(outputs)


@settings(max_examples=examples(4, 30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=markdown)
def test_pdf_never_fails_but_with_a_briefing_error(tmp_path_factory, body):
    path = tmp_path_factory.mktemp("prop") / "generated.md"
    path.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\n---\n{body}\n", encoding="utf-8")
    try:
        pdf = formats_of(load(path), ("pdf",))["pdf"]
    except BriefingError:
        return
    assert pdf.startswith(b"%PDF-")


def test_the_everyday_suite_tries_the_same_examples_every_run():
    """CI on a clean clone must not pass or fail by chance: the everyday
    profile is derandomized, a deep run (BRIEFING_FUZZ=deep) explores."""
    from hypothesis import settings

    from fuzzing import DEEP
    assert settings.default.derandomize is (not DEEP)
