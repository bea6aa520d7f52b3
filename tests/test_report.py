"""`--report FILE.json`: what became of each briefing, as a CI job reads it."""

import json

from conftest import FIXTURES, run_cli
from readers import pdf_info


def test_report_per_briefing(write, tmp_path):
    bad = write("See @sec-nowhere.\n", name="bad.md")
    out, report = tmp_path / "out", tmp_path / "report.json"
    first = run_cli("build", FIXTURES / "tables.md", bad, "--out", out, "--report", report)
    assert first.returncode == 1
    good, failed = json.loads(report.read_text())["briefings"]
    assert good["source"] == str(FIXTURES / "tables.md") and good["status"] == "built"
    assert good["outputs"] == [str(out / f"tables.{fmt}") for fmt in ("pdf", "docx", "html")]
    assert good["pages"] == int(pdf_info(out / "tables.pdf")["Pages"])
    assert good["markings"] == "UNCLASSIFIED" and good["warnings"] == [] and good["errors"] == []
    assert 0 < good["seconds"] < 60
    assert failed["status"] == "failed" and failed["outputs"] == [] and failed["pages"] is None
    assert failed["errors"] == [{"path": str(bad), "line": 5, "severity": "error",
                                 "code": "ref.unknown-id", "message": "cross-reference @sec-nowhere points at no heading, table, figure or equation with that id"}]

    again = run_cli("build", FIXTURES / "tables.md", "--out", out, "--report", report)
    assert again.returncode == 0
    [cached] = json.loads(report.read_text())["briefings"]
    assert cached["status"] == "up to date"
    assert {k: cached[k] for k in ("outputs", "pages", "markings")} == \
           {k: good[k] for k in ("outputs", "pages", "markings")}


def test_report_into_a_folder_is_a_usage_error(tmp_path):
    result = run_cli("build", FIXTURES / "tables.md", "--out", tmp_path, "--report", tmp_path)
    assert result.returncode == 2 and "--report" in result.stderr
