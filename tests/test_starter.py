"""`briefing new NAME`: a starter that checks clean, names every key, replaces nothing."""

import re

import yaml

from conftest import run_cli
from pipeline.read.frontmatter import SCHEMA
from pipeline.read.staff import MEMO_KEYS
from pipeline.run.starter import starter_path


def test_new_writes_a_starter_that_checks_and_builds(tmp_path):
    result = run_cli("new", tmp_path / "sahel-update")
    path = tmp_path / "sahel-update.md"
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{path}: written; build it with: briefing build {path}\n"
    assert run_cli("check", path).returncode == 0
    front = yaml.safe_load(path.read_text().split("---\n")[1])
    assert front["title"] == "Sahel update" and front["classification"] == "UNCLASSIFIED"
    built = run_cli("build", path, "--to", "html", "--out", tmp_path / "out")
    assert built.returncode == 0, built.stderr
    assert "Sahel update" in (tmp_path / "out" / "sahel-update.html").read_text()


def test_every_front_matter_key_is_in_the_starter(tmp_path):
    run_cli("new", tmp_path / "x.md")
    front = (tmp_path / "x.md").read_text().split("---\n")[1]
    named = set(re.findall(r"^(?:# )?([a-z_-]+):", front, re.M))
    assert named == set(SCHEMA) - set(MEMO_KEYS)  # a memo's keys are in the memo's starter
    commented = set(re.findall(r"^# ([a-z_-]+):", front, re.M))
    assert commented == set(SCHEMA) - set(MEMO_KEYS) - {"title", "classification", "date"}


def test_the_memo_starter_names_every_memo_key_and_checks(tmp_path):
    result = run_cli("new", tmp_path / "x.md", "--type", "memo")
    assert result.returncode == 0, result.stderr
    front = (tmp_path / "x.md").read_text().split("---\n")[1]
    named = set(re.findall(r"^(?:# )?([a-z_-]+):", front, re.M))
    others = {"prepared_by", "approved_by", "reference", "addressees", "copy_to"}  # papers', a loose minute's
    assert set(MEMO_KEYS) - others <= named and "title" not in named
    assert run_cli("check", tmp_path / "x.md").returncode == 0


def test_an_existing_file_is_never_replaced(tmp_path):
    path = tmp_path / "mine.md"
    path.write_text("my own work")
    result = run_cli("new", tmp_path / "mine")
    assert result.returncode == 1
    assert result.stderr == f"{path}: already exists; not overwritten\n"
    assert path.read_text() == "my own work"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.md"]  # no staged copy left


def test_a_house_starter_from_templates(tmp_path):
    (tmp_path / "house" / "new").mkdir(parents=True)
    (tmp_path / "house" / "new" / "briefing.md").write_text(
        "---\ntitle: $title\nclassification: NATO RESTRICTED\n---\nHouse text.\n")
    result = run_cli("new", tmp_path / "a&b: odd", "--templates", tmp_path / "house")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "a&b: odd.md").read_text()
    assert text.startswith('---\ntitle: "A&b: odd"\nclassification: NATO RESTRICTED\n')
    assert run_cli("check", tmp_path / "a&b: odd.md").returncode == 0


def test_starter_path():
    assert str(starter_path("source/sahel")) == "source/sahel.md"
    assert str(starter_path("sahel.md")) == "sahel.md"
    assert str(starter_path("v1.2")) == "v1.2.md"


def test_a_name_with_spaces_gets_a_command_that_works_when_pasted(tmp_path):
    import shlex
    result = run_cli("new", "Sahel Update", cwd=tmp_path)
    assert result.returncode == 0
    command = result.stdout.split("build it with: ", 1)[1].strip()
    assert shlex.split(command) == ["briefing", "build", "Sahel Update.md"]
    assert f"# Build it with: {command}" in (tmp_path / "Sahel Update.md").read_text()
