"""examples/ci: the GitHub Actions workflow and the GitLab CI jobs say the same
commands, shard for shard, and those commands work on a fresh copy of the
repository: four runners each build their share, and the report job joins
their reports into one that names every briefing exactly once.

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

from conftest import FIXTURES, ROOT

EXAMPLES = ROOT / "examples" / "ci"


def github_jobs() -> tuple[dict, dict]:
    """The workflow's sharded build job and its report job."""
    workflow = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text())
    build, report = workflow["jobs"].values()
    return build, report


def gitlab_jobs() -> tuple[dict, dict]:
    config = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text())
    build, report = (job for name, job in config.items() if name != "stages")
    return build, report


def shard_count() -> int:
    return len(github_jobs()[0]["strategy"]["matrix"]["shard"])


def github_commands(job: dict, shard: int, total: int) -> list[str]:
    """A job's run steps as one runner of the matrix runs them."""
    commands = [step["run"].replace("${{ matrix.shard }}", str(shard))
                .replace("${{ strategy.job-total }}", str(total)) for step in job["steps"] if "run" in step]
    assert not any("${{" in command for command in commands), commands
    return commands


def gitlab_commands(job: dict, shard: int, total: int) -> list[str]:
    return [line.replace("$CI_NODE_INDEX", str(shard)).replace("$CI_NODE_TOTAL", str(total))
            for line in job["script"]]


def test_both_examples_run_the_same_commands_for_every_shard_and_keep_the_same_folder():
    (github_build, github_report), (gitlab_build, gitlab_report) = github_jobs(), gitlab_jobs()
    total = shard_count()
    assert gitlab_build["parallel"] == total and github_build["strategy"]["matrix"]["shard"] == list(
        range(1, total + 1))
    for shard in range(1, total + 1):
        commands = github_commands(github_build, shard, total)
        assert commands == gitlab_commands(gitlab_build, shard, total)
        assert all(f"--shard {shard}/{total}" in c for c in commands if " check " in c or " build " in c)
    assert github_commands(github_report, 0, total) == gitlab_commands(gitlab_report, 0, total)
    assert github_report["needs"] == "briefings" and github_report["if"] == "always()"
    assert gitlab_jobs()[1]["stage"] == "report" and gitlab_report["when"] == "always"
    for github_job, gitlab_job in ((github_build, gitlab_build), (github_report, gitlab_report)):
        [upload] = [s for s in github_job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
        assert upload["with"]["path"].rstrip("/") == gitlab_job["artifacts"]["paths"][0].rstrip("/")
        assert upload.get("if") == "always()" and gitlab_job["artifacts"]["when"] == "always"
    [download] = [s for s in github_report["steps"] if s.get("uses", "").startswith("actions/download-artifact")]
    assert download["with"]["merge-multiple"] is True and download["with"]["path"] == "build"


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


# A team's briefings besides the sample, chosen so that each of four shards has some.
TEAM = ("cjk.md", "elements.md", "math.md", "outline.md", "tables.md")


def run_steps(commands: list[str], repo: Path, env: dict[str, str]) -> None:
    for command in commands:
        result = subprocess.run(["bash", "-e", "-c", command], cwd=repo, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"


def test_the_workflow_on_a_fresh_copy_builds_every_briefing_once_and_reports_them_all(tmp_path):
    import json
    repo = fresh_copy(tmp_path / "repo")
    for name in TEAM:
        shutil.copy2(FIXTURES / name, repo / "source" / name)
    env = {**os.environ, "GITHUB_ACTIONS": "true", "CI": "true", "PYTHONPATH": str(repo)}
    build_job, report_job = github_jobs()
    total = shard_count()
    downloaded = tmp_path / "artifacts"  # download-artifact's merge-multiple: one folder
    downloaded.mkdir()
    built_by: dict[str, int] = {}
    for shard in range(1, total + 1):  # each runner starts with no build/ (a cold cache)
        shutil.rmtree(repo / "build", ignore_errors=True)
        run_steps(github_commands(build_job, shard, total), repo, env)
        for file in (repo / "build").iterdir():
            if file.name.startswith("."):
                continue  # upload-artifact leaves hidden files out
            assert not (downloaded / file.name).exists(), f"{file.name} from shard {shard} and another"
            shutil.copy2(file, downloaded / file.name)
            if file.suffix == ".pdf":
                built_by[file.stem] = shard
    sources = sorted((repo / "source").glob("*.md"))
    assert sorted(built_by) == [s.stem for s in sources]  # each built, and (above) once
    assert set(built_by.values()) == set(range(1, total + 1))  # no runner idle

    shutil.rmtree(repo / "build")
    shutil.copytree(downloaded, repo / "build")
    run_steps(github_commands(report_job, 0, total), repo, env)
    report = json.loads((repo / "build" / "report.json").read_text())["briefings"]
    assert [b["source"] for b in report] == [f"source/{s.name}" for s in sources]
    assert [b["status"] for b in report] == ["built"] * len(sources)
    assert all(b["pages"] >= 1 and b["markings"] for b in report)
    for briefing in report:
        assert sorted(Path(o).name for o in briefing["outputs"]) == sorted(
            f"{Path(briefing['source']).stem}.{fmt}" for fmt in ("docx", "html", "pdf"))
        assert all((repo / o).is_file() for o in briefing["outputs"])
