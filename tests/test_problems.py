"""pipeline/problems.py: problems as values with a code, one reporter per
briefing, and problems as plain lines or GitHub Actions annotations."""

import json

from conftest import FIXTURES, run_cli
import pytest

from pipeline.problems import BriefingError, Problem, Reporter, escape, shown


def test_plain_and_github_forms():
    error = Problem("source/a.md", 7, "link to '#x', which no heading has", code="link.unknown-id")
    warning = Problem("source/a.md", None, "PDF: ignored declaration", code="pdf.weasyprint",
                      severity="warning")
    assert shown(error, github=False) == "source/a.md:7: link to '#x', which no heading has"
    assert shown(warning, github=False) == "source/a.md: warning: PDF: ignored declaration"
    assert shown(error, github=True) == "::error file=source/a.md,line=7::link to '#x', which no heading has"
    assert shown(warning, github=True) == "::warning file=source/a.md::PDF: ignored declaration"


def test_github_escaping_keeps_one_command_per_line():
    odd = Problem("dir,with:odd/a.md", 3, "100% sure", code="test.odd")
    assert shown(odd, github=True) == "::error file=dir%2Cwith%3Aodd/a.md,line=3::100%25 sure"
    assert escape("one\r\ntwo") == "one%0D%0Atwo"


def test_a_problem_is_one_line_and_quotes_little():
    """A message is one line; no run of author text in it is longer than
    about 80 characters, nor the whole longer than 400, whoever wrote it."""
    assert Problem("a.md", 3, "first\nsecond", code="test.odd").message == "first second"
    image = "data:image/png;base64," + "iVBORw0KGgo" * 60_000  # 660 KB
    problem = Problem("a.md", 3, f"image '{image}' is not a local file", code="image.remote")
    assert len(problem.message) < 120 and problem.message.endswith("…' is not a local file")
    assert len(Problem("a.md", 1, "word " * 500, code="test.long").message) <= 1000


def bad_source(write):
    return write("# Head\n\nSee @sec-nowhere.\n")


def test_a_problem_prints_no_control_character():
    """A terminal acts on ESC; Python-Markdown's placeholders are U+0002 and
    U+0003; U+202E reverses the line. Each is shown by its name instead."""
    problem = Problem("brief.md", 5, "link 'a\x1b[31mred\x02amp\x03\u202eevil\x7f' refused", code="x.y")
    assert problem.message == "link 'a<U+001B>[31mred<U+0002>amp<U+0003><U+202E>evil<U+007F>' refused"
    assert str(problem).isprintable()


def test_check_and_build_annotate_on_github(write, tmp_path):
    bad = bad_source(write)
    message = "cross-reference @sec-nowhere points at no heading, table, figure or equation with that id"
    for command in (["check", bad], ["build", bad, "--to", "html", "--out", tmp_path / "out"]):
        github = run_cli(*command, env={"GITHUB_ACTIONS": "true"})
        assert github.returncode == 1
        assert github.stderr.splitlines() == [f"::error file={bad},line=7::{message}"]
        plain = run_cli(*command, env={"GITHUB_ACTIONS": ""})
        assert plain.stderr.splitlines() == [f"{bad}:7: {message}"]


def test_warnings_annotate_as_warnings_and_reach_the_report(tmp_path):
    (tmp_path / "house" / "print").mkdir(parents=True)
    (tmp_path / "house" / "print" / "print.css").write_text("p { colour: red; }")
    report = tmp_path / "report.json"
    result = run_cli("build", FIXTURES / "elements.md", "--to", "pdf", "--out", tmp_path / "out",
                     "--templates", tmp_path / "house", "--report", report,
                     env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 0, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"::warning file={FIXTURES / 'elements.md'}::PDF: ") and "colour" in line
    [entry] = json.loads(report.read_text())["briefings"]
    assert [w["message"] for w in entry["warnings"]] == [line.split("::", 2)[2]]


# The reporter ----------------------------------------------------------------

def test_the_reporter_keeps_errors_and_warnings_apart():
    reporter = Reporter("a.md")
    reporter.warning(4, "pdf.weasyprint", "PDF: ignored")
    reporter.error(9, "link.unknown-id", "link to '#x'")
    reporter.error(2, "portion.missing", "paragraph has no portion mark")
    assert [p.code for p in reporter.warnings] == ["pdf.weasyprint"]
    assert [p.line for p in reporter.errors] == [9, 2]


def test_check_raises_every_problem_at_once_in_line_order():
    reporter = Reporter("a.md")
    reporter.error(9, "ref.unknown-id", "one")
    reporter.warning(1, "link.unknown-id", "a warning is no reason to stop, but is said")
    reporter.error(2, "portion.missing", "two")
    reporter.warning(None, "pdf.weasyprint", "no line: after those with one")
    with pytest.raises(BriefingError) as raised:
        reporter.check()
    assert [(p.line, p.code) for p in raised.value.problems] == [
        (1, "link.unknown-id"), (2, "portion.missing"), (9, "ref.unknown-id"), (None, "pdf.weasyprint")]


def test_fail_on_warning_fails_with_the_warnings_and_says_why():
    reporter = Reporter("a.md")
    reporter.fail_on_warnings()  # none: goes on
    reporter.warning(4, "meta.foreign-keys", "ignored: layout")
    with pytest.raises(BriefingError) as raised:
        reporter.fail_on_warnings()
    assert [p.code for p in raised.value.problems] == ["meta.foreign-keys", "build.warnings-as-errors"]
    assert not raised.value.problems[-1].warning


def test_check_without_errors_goes_on():
    reporter = Reporter("a.md")
    reporter.warning(1, "pdf.weasyprint", "only a warning")
    reporter.check()


def test_stop_raises_with_the_errors_found_before():
    reporter = Reporter("a.md")
    reporter.error(3, "portion.missing", "earlier")
    with pytest.raises(BriefingError) as raised:
        reporter.stop(7, "markdown.depth", "too deep")
    assert [p.code for p in raised.value.problems] == ["portion.missing", "markdown.depth"]


@pytest.mark.parametrize("silenced, kept", [
    (("pdf",), ["docx.reference-style"]),
    (("pdf.weasyprint",), ["docx.reference-style"]),
    (("pdf.weasy",), ["pdf.weasyprint", "docx.reference-style"]),  # a family is a whole word
    ((), ["pdf.weasyprint", "docx.reference-style"]),
])
def test_a_silenced_code_or_family_drops_its_warnings(silenced, kept):
    reporter = Reporter("a.md", silenced)
    reporter.warning(None, "pdf.weasyprint", "PDF: ignored")
    reporter.warning(None, "docx.reference-style", "borrowed a style")
    assert [p.code for p in reporter.warnings] == kept


def test_errors_cannot_be_silenced():
    reporter = Reporter("a.md", ("link",))
    reporter.error(3, "link.unknown-id", "link to '#x'")
    assert [p.code for p in reporter.errors] == ["link.unknown-id"]


def test_a_problem_crosses_processes_and_json_whole():
    import pickle

    problem = Problem("a.md", 3, "x", code="link.unknown-id", severity="warning")
    assert Problem.from_dict(json.loads(json.dumps(problem.as_dict()))) == problem
    error = BriefingError([problem])
    assert pickle.loads(pickle.dumps(error)).problems == (problem,)


def test_silence_drops_a_warning_on_the_command_line(write):
    source = write("Text.\n", front="---\ntitle: (U) T\nclassification: UNCLASSIFIED\n"
                   "portion_marking: true\n---\n")
    loud = run_cli("check", source)
    assert loud.returncode == 1  # the paragraph has no mark: an error stays an error
    quiet = run_cli("check", source, "--silence", "portion")
    assert quiet.returncode == 1 and "no portion mark" in quiet.stderr


def test_the_reader_gives_each_problem_its_own_code(write):
    from pipeline.run.build import load

    source = write("Text[^missing] and [a link](javascript:alert(1)).\n\n[^unused]: Never cited.\n")
    with pytest.raises(BriefingError) as raised:
        load(source)
    assert sorted(p.code for p in raised.value.problems) == [
        "footnote.undefined", "footnote.unreferenced", "link.refused"]  # the second a warning


def test_the_same_problem_is_said_once(write, tmp_path):
    """rOpenSci's blog post pre-renders its formulas as KaTeX's spans, 13
    of them too deeply nested on one line: the same error was printed 13
    times. A reporter and an error keep each problem once."""
    deep = "<span>" * 22 + "x" + "</span>" * 22
    source = write(f"Formulas {deep} and {deep} and {deep}.\n")
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("nest deeper than") == 1, result.stderr
    reporter = Reporter("a.md")
    for _ in range(3):
        reporter.warning(4, "x.y", "twice")
    assert len(reporter.problems) == 1
    same = Problem("a.md", 2, "m", code="x.z")
    assert BriefingError([same, same]).problems == (same,)
