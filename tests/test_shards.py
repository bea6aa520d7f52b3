"""`build --shard I/N` and `report merge`: CI runners each build a stable
share of the briefings, and their reports join into one."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli
from pipeline.problems import BriefingError
from pipeline.run.report import merge
from pipeline.run.shards import Shard, key, parse, shard_of

NAMES = [Path(f"briefings/team-{t}/brief-{n:03}.md") for t in range(5) for n in range(200)]


@pytest.fixture
def sources(tmp_path):
    """Every good fixture briefing, in a folder of their own."""
    folder = tmp_path / "src"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("bad", "markings"))
    return sorted(folder.glob("*.md"))


def test_four_shards_build_every_briefing_exactly_once(sources, tmp_path):
    """Four runners, each its own output folder and report; then the merge."""
    assert len(sources) >= 20
    built: dict[str, list[int]] = {}
    reports = []
    for index in range(1, 5):
        out, report = tmp_path / f"runner-{index}", tmp_path / f"report-{index}.json"
        result = run_cli("build", *sources, "--to", "html", "--out", out, "--shard", f"{index}/4",
                         "--report", report)
        assert result.returncode == 0, result.stderr
        for page in out.glob("*.html"):
            built.setdefault(page.stem, []).append(index)
        shard = json.loads(report.read_text())
        assert shard["shard"] == {"index": index, "count": 4, "sources": len(sources)}
        assert sorted(Path(b["source"]).stem for b in shard["briefings"]) == sorted(
            p.stem for p in out.glob("*.html"))
        reports.append(report)
    assert sorted(built) == sorted(s.stem for s in sources)  # every one …
    assert all(len(shards) == 1 for shards in built.values()), built  # … exactly once
    assert len({shards[0] for shards in built.values()}) == 4  # and no runner idle

    result = run_cli("report", "merge", *reversed(reports), "-o", tmp_path / "all.json")
    assert result.returncode == 0, result.stderr
    assert f"{len(sources)} briefings from 4 reports ({len(sources)} built)" in result.stdout
    merged = json.loads((tmp_path / "all.json").read_text())
    assert "shard" not in merged and merged["format"] == 1
    assert [b["source"] for b in merged["briefings"]] == sorted(map(str, sources))
    for briefing in merged["briefings"]:
        assert briefing["status"] == "built"
        [output] = briefing["outputs"]
        assert Path(output).is_file() and Path(output).stem == Path(briefing["source"]).stem


def test_the_merge_is_the_report_of_one_build_of_all(sources, tmp_path):
    """Apart from the times taken, the joined report says what one runner
    building everything says."""
    whole = tmp_path / "whole.json"
    assert run_cli("check", *sources, "--report", whole).returncode == 0
    parts = []
    for index in (1, 2, 3):
        parts.append(tmp_path / f"{index}.json")
        assert run_cli("check", *sources, "--shard", f"{index}/3", "--report", parts[-1]).returncode == 0
    result = run_cli("report", "merge", *parts, "-o", tmp_path / "merged.json")
    assert result.returncode == 0, result.stderr

    def timeless(path):
        return [{k: v for k, v in b.items() if k != "seconds"}
                for b in json.loads(path.read_text())["briefings"]]
    assert timeless(tmp_path / "merged.json") == timeless(whole)


def test_shards_that_do_not_add_up_are_refused_and_nothing_is_written(sources, tmp_path):
    reports = {}
    for index in (1, 2, 3):
        reports[index] = tmp_path / f"{index}.json"
        run_cli("check", *sources, "--shard", f"{index}/3", "--report", reports[index])
    target = tmp_path / "all.json"

    result = run_cli("report", "merge", reports[1], reports[3], "-o", target)
    assert result.returncode == 1 and not target.exists()
    assert f"{target}: shard 2 of 3 missing" in result.stderr

    with pytest.raises(BriefingError) as twice:
        merge([reports[1], reports[2], reports[2], reports[3]], target)
    assert {p.code for p in twice.value.problems} == {"report.duplicate"}
    assert all(p.path == str(reports[2]) for p in twice.value.problems)

    other = tmp_path / "other.json"  # a shard of another build: four shards, one source fewer
    run_cli("check", *sources[1:], "--shard", "2/4", "--report", other)
    with pytest.raises(BriefingError) as mixed:
        merge([reports[1], other, reports[3]], target)
    [problem] = mixed.value.problems
    assert problem.code == "report.shards" and problem.path == str(other)
    assert f"of {len(sources) - 1} sources" in problem.message and f"1/3 of {len(sources)}" in problem.message


def test_a_file_that_is_not_a_report_is_said_at_its_line(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "format": 1,\n  "briefings": [\n    {"source": "a.md",,}\n  ]\n}\n')
    page = tmp_path / "page.json"
    page.write_text('{"title": "not a report"}\n')
    result = run_cli("report", "merge", broken, page, tmp_path / "missing.json", "-o", tmp_path / "all.json")
    assert result.returncode == 1 and not (tmp_path / "all.json").exists()
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{broken}:4: not JSON")
    assert lines[1].startswith(f"{page}: not a briefing report")
    assert lines[2].startswith(f"{tmp_path / 'missing.json'}: cannot read")


def test_a_shard_with_no_briefing_builds_nothing_and_says_so(tmp_path):
    source = tmp_path / "only.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\nText.\n")
    empty = next(i for i in (1, 2) if shard_of(source, 2) != i)
    result = run_cli("build", source, "--to", "html", "--out", tmp_path / "out",
                     "--shard", f"{empty}/2", "--report", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    assert f"shard {empty}/2 holds none of the 1 briefings" in result.stdout
    assert not (tmp_path / "out" / "only.html").exists()
    assert json.loads((tmp_path / "r.json").read_text())["briefings"] == []


@pytest.mark.parametrize("value", ["0/4", "5/4", "1/0", "2", "a/b", "1/1001", "-1/4"])
def test_a_shard_that_cannot_be_is_a_usage_error(value, tmp_path):
    result = run_cli("build", FIXTURES / "outline.md", "--out", tmp_path, "--shard", value)
    assert result.returncode == 2 and "--shard" in result.stderr
    assert not any(tmp_path.iterdir())


def test_a_briefing_keeps_its_shard_when_others_come_and_go():
    before = {name: shard_of(name, 8) for name in NAMES}
    added = [*NAMES, Path("briefings/new.md"), Path("briefings/team-9/other.md")]
    after = {name: shard_of(name, 8) for name in added[:-2][::3]}  # some gone, two new
    assert all(after[name] == before[name] for name in after)


def test_one_more_shard_moves_only_what_the_new_shard_takes():
    """From 4 runners to 5: about a fifth of the briefings move, all of them
    to the fifth; the others stay where their cached outputs are."""
    moved = [name for name in NAMES if shard_of(name, 4) != shard_of(name, 5)]
    assert all(shard_of(name, 5) == 5 for name in moved)
    assert 0.15 < len(moved) / len(NAMES) < 0.25


def test_shards_are_about_even():
    for count in (2, 4, 7):
        sizes = [sum(shard_of(name, count) == i for name in NAMES) for i in range(1, count + 1)]
        assert max(sizes) < 1.2 * len(NAMES) / count and min(sizes) > 0.8 * len(NAMES) / count, sizes


def test_a_path_is_its_shard_however_it_is_spelt(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spellings = [Path("source/a.md"), Path("./source/a.md"), Path("source/../source/a.md"),
                 tmp_path / "source" / "a.md"]
    assert {key(p) for p in spellings} == {"source/a.md"}
    assert len({shard_of(p, 16) for p in spellings}) == 1


def test_shard_spellings():
    assert parse("2/4") == Shard(2, 4) and parse(" 1 / 1 ") == Shard(1, 1)
    assert str(parse("3/10")) == "3/10"
    for bad in ("0/4", "4/3", "1/0", "x", "1/2/3"):
        with pytest.raises(ValueError):
            parse(bad)
