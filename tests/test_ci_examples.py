"""examples/ci: the GitHub Actions workflow and the GitLab CI job say the same
commands, and those commands work on a fresh copy of the repository.

The copy holds what git tracks (no build/, no stamps); its `.venv` is the
one running these tests, linked in, so the Install step finds the set-up
done instead of spending a minute downloading what `make test` installed
already (`make test` on a fresh clone, in .ci/run, proves the install).
Everything after it (check, build, the report, the artifact folder) runs
from the copy, its own code first on the path, as the job runs it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

EXAMPLES = ROOT / "examples" / "ci"


def github_steps() -> list[dict]:
    workflow = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text())
    [job] = workflow["jobs"].values()
    return job["steps"]


def gitlab_job() -> dict:
    [job] = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text()).values()
    return job


def test_both_examples_run_the_same_commands_and_keep_the_same_folder():
    steps = github_steps()
    assert [s["run"] for s in steps if "run" in s] == gitlab_job()["script"]
    [upload] = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    assert upload["with"]["path"].rstrip("/") == gitlab_job()["artifacts"]["paths"][0].rstrip("/")
    assert upload.get("if") == "always()" and gitlab_job()["artifacts"]["when"] == "always"


def fresh_copy(target: Path) -> Path:
    """The tracked files of the repository as they are now (a clone of the work tree)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    (target / ".venv").symlink_to(Path(sys.prefix))
    (target / ".stamps").mkdir()
    for stamp in ("apt-runtime", "venv"):
        (target / ".stamps" / stamp).touch()  # set up already: newer than requirements.txt
    return target


def test_the_workflow_commands_on_a_fresh_copy(tmp_path):
    import json
    repo = fresh_copy(tmp_path / "repo")
    env = {**os.environ, "GITHUB_ACTIONS": "true", "CI": "true", "PYTHONPATH": str(repo)}
    for step in github_steps():
        if "run" in step:
            result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env,
                                    capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, f"{step['name']}: {result.stdout}{result.stderr}"
    upload = next(s for s in github_steps() if "upload-artifact" in s.get("uses", ""))
    artifact = repo / upload["with"]["path"]
    sources = sorted((repo / "source").glob("*.md"))
    built = {p.name for p in artifact.iterdir()}
    assert {f"{s.stem}.{fmt}" for s in sources for fmt in ("pdf", "docx", "html")} <= built
    report = json.loads((artifact / "report.json").read_text())["briefings"]
    assert [b["status"] for b in report] == ["built"] * len(sources)
    assert all(b["pages"] >= 1 and b["markings"] for b in report)
