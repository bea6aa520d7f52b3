"""Problems as plain lines, or as GitHub Actions annotations in a workflow."""

import json

from conftest import FIXTURES, run_cli
from pipeline.problems import shown
from pipeline.problems import Problem


def test_plain_and_github_forms():
    error = Problem("source/a.md", 7, "link to '#x', which no heading has")
    warning = Problem("source/a.md", None, "PDF: ignored declaration", warning=True)
    assert shown(error, github=False) == "source/a.md:7: link to '#x', which no heading has"
    assert shown(warning, github=False) == "source/a.md: warning: PDF: ignored declaration"
    assert shown(error, github=True) == "::error file=source/a.md,line=7::link to '#x', which no heading has"
    assert shown(warning, github=True) == "::warning file=source/a.md::PDF: ignored declaration"


def test_github_escaping_keeps_one_command_per_line():
    odd = Problem("dir,with:odd/a.md", 3, "100% sure\nsecond line")
    assert shown(odd, github=True) == "::error file=dir%2Cwith%3Aodd/a.md,line=3::100%25 sure%0Asecond line"


def bad_source(write):
    return write("# Head\n\n[x](#missing)\n")


def test_check_and_build_annotate_on_github(write, tmp_path):
    bad = bad_source(write)
    message = "link to '#missing', which no heading has as its id (ids: #head)"
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
