"""Generated front matter, with YAML's tags on every kind of value, through
`briefing check` and all three backends: the only failures allowed are
problem lines (`path:line: message`), never an internal error. (YAML's own
constructors raise ValueError, KeyError, IndexError … on `!!int abc`,
`!!bool maybe`, a bare `!!float`, the date 2026-13-45, a 5,000-digit number.)"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from pipeline.problems import BriefingError
from pipeline.read.frontmatter import SCHEMA
from pipeline.run.build import Options, make
from fuzzing import examples

TAGS = ["", "", "", "!!int ", "!!float ", "!!bool ", "!!str ", "!!null ", "!!timestamp ", "!!binary ",
        "!!set ", "!!map ", "!!seq ", "!!omap ", "!!pairs ", "!!merge ", "!!value ", "!!yaml ",
        "!!python/object:os.system ", "!custom ", "!<tag:yaml.org,2002:int> ", "! "]
WORDS = ["abc", "maybe", "", "yes", "No", "on", "~", "null", "2026-13-45", "2026-02-30", "2026-11-25",
         "2026-11-25 10:00:00", "2026-11-25t25:00:00", "2026-01-01 10:00:00 +99", "1.10", "0x1F", "0o99",
         "0b2", "1_000", "_", "+", "0x", "1:70", "190:20:30", ".nan", "-.inf", "1e999", "1e", ".",
         "7" * 5000, "0x" + "f" * 5000, "1:" * 3000 + "1", "'quoted'", '"double \\x0c"', '"\\ud800"',
         "é", "[", "]", "{", "}", "-", ":", "&a", "*a", "|", ">", "#c", "@x", "`x", "A" * 7,
         "UNCLASSIFIED", "SECRET//NOFORN", "(U) text", "[" * 2000, "[" * 60 + "]" * 60, "{a: [b, {c: d}]}",
         "'open", '"open', "\ttab"]
KEYS = [*SCHEMA, "author", "description", "format", "x", "title", "classification"]

scalar = st.tuples(st.sampled_from(TAGS), st.sampled_from(WORDS)).map("".join)


def collections(children):
    listed = st.lists(children, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
    mapped = st.lists(st.tuples(st.sampled_from(["a", "name", "given", "1"]), children), max_size=3).map(
        lambda pairs: "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}")
    return st.tuples(st.sampled_from(TAGS), listed | mapped).map("".join)


value = st.recursive(scalar, collections, max_leaves=6)
line = st.tuples(st.sampled_from(KEYS), value).map(lambda kv: f"{kv[0]}: {kv[1]}")
front = st.lists(line, min_size=1, max_size=4).map(
    lambda lines: "\n".join(["title: Generated", "classification: UNCLASSIFIED", *lines]))


SAFE = [word for word in WORDS if not re.search(r"[][{}:&*|>#@`'\"\t-]", word) and len(word) < 100]
tagged = st.tuples(st.sampled_from(TAGS), st.sampled_from(SAFE)).map("".join)

# Front matter that reads, mostly: tags where they fit the key, and any value
# at all under keys briefing ignores (other tools' settings), so that the
# backends see tagged and odd values that pass the checks.
TEXT = st.tuples(st.sampled_from(["", "!!str "]), st.sampled_from(
    ["Plain words", "2026-11-25", "2026-11-25 10:00:00", "'1.10'", "é ü 🛰️", "'yes'", "x" * 200]
)).map("".join)
FITTING = {
    **{key: TEXT for key in ("subtitle", "date", "version", "status", "organization", "abstract",
                             "short_title", "poc", "controlling_office")},
    "toc": st.sampled_from(["true", "!!bool false", "!!bool true", "false"]),
    "numbering": st.sampled_from(["true", "!!bool false"]),
    "keywords": st.lists(TEXT, min_size=1, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    "authors": st.sampled_from(["[A. Author, !!str B. Author]", "[{name: !!str C. Author}]", "!!str D"]),
    "lang": st.sampled_from(["en", "!!str fr", "en-GB"]),
    **{key: tagged for key in ("x", "format", "other-tool")},
}
fitting = st.lists(st.sampled_from(sorted(FITTING)).flatmap(
    lambda key: FITTING[key].map(lambda v: f"{key}: {v}")), max_size=5, unique_by=lambda l: l.split(":")[0]).map(
    lambda lines: "\n".join(["title: !!str Generated", "classification: UNCLASSIFIED", *lines]))


def written(tmp_path_factory, yaml: str):
    path = tmp_path_factory.mktemp("fuzz") / "generated.md"
    path.write_text(f"---\n{yaml}\n---\n\n# Heading\n\nText.\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module", autouse=True)
def warm():
    """The stages imported here once, so that each check's forked process
    starts with them, as a batch's do."""
    from pipeline.run.check import warm
    warm()


def problem_lines(path, stderr: str) -> None:
    shape = re.compile(rf"{re.escape(str(path))}(:[1-9][0-9]*)?: (warning: )?\S")
    for said in stderr.splitlines():
        assert shape.match(said) and "internal error" not in said, said


@settings(max_examples=examples(40, 400), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(yaml=front)
def test_check_says_problem_lines_and_nothing_else(tmp_path_factory, yaml):
    path = written(tmp_path_factory, yaml)
    result = run_cli("check", path)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
    problem_lines(path, result.stderr)
    assert (result.stdout == f"{path}: ok\n") == (result.returncode == 0)


@settings(max_examples=examples(8, 80), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(yaml=fitting)
def test_all_three_backends_fail_only_with_problems(tmp_path_factory, yaml):
    path = written(tmp_path_factory, yaml)
    try:
        made = make(path, Options(out_dir=path.parent / "out"))
    except BriefingError as error:
        problem_lines(path, "\n".join(map(str, error.problems)))
        return
    assert sorted(target.suffix for target in made.files) == [".docx", ".html", ".pdf"]
    assert all(data for data in made.files.values())
