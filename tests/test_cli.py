"""The `briefing` command as a user runs it: exit codes and one-line errors."""

from pathlib import Path

from conftest import FIXTURES, run_cli


def test_version_and_help():
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("briefing 0.")
    helptext = run_cli("--help")
    assert helptext.returncode == 0
    for words in ("build", "check", "PDF", "DOCX", "HTML", "examples:"):
        assert words in helptext.stdout
    build_help = run_cli("build", "--help").stdout
    assert "--to" in build_help and "--out" in build_help and "--templates" in build_help


def test_usage_errors_exit_2():
    assert run_cli().returncode == 2
    bad_format = run_cli("build", str(FIXTURES / "elements.md"), "--to", "odt")
    assert bad_format.returncode == 2 and "unknown format 'odt'" in bad_format.stderr
    bad_templates = run_cli("build", str(FIXTURES / "elements.md"), "--templates", "/nonexistent")
    assert bad_templates.returncode == 2 and "not a folder" in bad_templates.stderr


def test_check_good_and_bad(write, tmp_path):
    good = run_cli("check", FIXTURES / "elements.md")
    assert good.returncode == 0 and good.stderr == ""
    bad = write("# Head\n\nSee @sec-nowhere.\n")
    result = run_cli("check", FIXTURES / "elements.md", bad)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{bad}:7: cross-reference @sec-nowhere points at no heading, table, figure or equation with that id"]
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.html"))


def test_bad_document_one_line_no_traceback_no_output(write, tmp_path):
    bad = write("Body.\n", front="---\ntitle: T\nclassification: UNCLASSIFIED\nauthr: me\n---\n")
    out = tmp_path / "out"
    result = run_cli("build", bad, "--out", out)
    assert result.returncode == 1
    assert result.stderr == f"{bad}:4: unknown front-matter key 'authr'; did you mean 'authors'?\n"
    assert not out.exists()


def test_build_html_only(tmp_path: Path):
    result = run_cli("build", FIXTURES / "elements.md", "--to", "html", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".briefing-manifest.json", "elements.html"]
    assert result.stdout.startswith(f"{FIXTURES / 'elements.md'} -> {tmp_path / 'elements.html'} (")


def test_outputs_that_would_collide_are_usage_errors(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.md").write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\nText.\n")
    clash = run_cli("build", tmp_path / "a/x.md", tmp_path / "b/x.md", "--out", tmp_path / "out")
    assert clash.returncode == 2 and "would both write" in clash.stderr
    (tmp_path / "a" / "x.html").write_text("<p>keep me</p>")
    onto_source = run_cli("build", tmp_path / "a/x.md", tmp_path / "a/x.html", "--to", "html",
                          "--out", tmp_path / "a")
    assert onto_source.returncode == 2 and "which is a source on this command line" in onto_source.stderr
    assert (tmp_path / "a" / "x.html").read_text() == "<p>keep me</p>"
    assert not (tmp_path / "out").exists()


def test_out_that_is_a_file_is_a_usage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("build", FIXTURES / "elements.md", "--out", blocker)
    assert result.returncode == 2 and result.stderr == f"briefing: --out {blocker}: not a folder\n"


def test_debug_after_the_command():
    assert run_cli("check", "--debug", FIXTURES / "elements.md").returncode == 0


def test_time_limit_option(tmp_path):
    slow = tmp_path / "slow.md"
    # 900 unmatched '[' per paragraph stay under the bracket limit but cost time each.
    slow.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n" + ("[" * 900 + "\n\n") * 40)
    result = run_cli("check", slow, "--time-limit", "0.5")
    assert result.returncode == 1
    assert result.stderr == f"{slow}: stopped after 0.5 s: the build took longer than its time limit (--time-limit)\n"
    bad = run_cli("check", slow, "--time-limit", "soon")
    assert bad.returncode == 2 and "is not a number of seconds" in bad.stderr


def test_ctrl_c_keeps_the_previous_outputs(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    from conftest import ROOT, SEED
    sys.path.insert(0, str(ROOT / "tools"))
    from bench import synthetic
    source = synthetic(SEED, 40, tmp_path / "long.md")  # about 320 pages: still typesetting at 2.5 s
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("pdf", "docx", "html"):
        (out / f"long.{fmt}").write_bytes(b"previous good output")
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "build", str(source), "--out", str(out)],
                               cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)  # parsed, and the PDF worker well into typesetting
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip() == "briefing: interrupted; earlier outputs are unchanged"
    assert sorted(p.name for p in out.iterdir()) == ["long.docx", "long.html", "long.pdf"]
    assert all(p.read_bytes() == b"previous good output" for p in out.iterdir())


def test_jobs_force_and_a_batch_summary(tmp_path):
    sources = [FIXTURES / "tables.md", FIXTURES / "footnotes.md"]
    first = run_cli("build", *sources, "--to", "html", "--out", tmp_path, "--jobs", "2")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == "2 built, 0 up to date, 0 failed"
    again = run_cli("build", *sources, "--to", "html", "--out", tmp_path)
    assert again.stdout.splitlines() == [f"{s}: up to date" for s in sources] + \
        ["0 built, 2 up to date, 0 failed"]
    forced = run_cli("build", *sources, "--to", "html", "--out", tmp_path, "--force", "--jobs", "1")
    assert forced.stdout.splitlines()[-1] == "2 built, 0 up to date, 0 failed"
    for bad in ("0", "two", "-1"):
        result = run_cli("build", *sources, "--jobs", bad)
        assert result.returncode == 2 and "is not a number of jobs" in result.stderr


def test_pdf_variant_option(tmp_path):
    # With the DOCX too, so the PDF is made in the forked worker.
    result = run_cli("build", FIXTURES / "elements.md", "--to", "pdf,docx", "--out", tmp_path,
                     "--pdf-variant", "pdf/a-3b")
    assert result.returncode == 0, result.stderr
    from readers import pdf_attachments, pdf_xmp
    assert pdf_attachments(tmp_path / "elements.pdf") == ["elements.md"]
    assert 'pdfaid:part="3"' in pdf_xmp(tmp_path / "elements.pdf")
    bad = run_cli("build", FIXTURES / "elements.md", "--pdf-variant", "pdf/x-4")
    assert bad.returncode == 2 and "invalid choice: 'pdf/x-4'" in bad.stderr


def test_reference_doc_option_and_a_templates_folder_reference(tmp_path):
    import docx
    from test_render_docx import house_reference
    reference = house_reference(tmp_path, drop="Caption")
    result = run_cli("build", FIXTURES / "information-paper.md", "--to", "docx", "--out", tmp_path / "a",
                     "--reference-doc", reference)
    assert result.returncode == 0, result.stderr
    assert f"{reference}: warning: DOCX: the reference document has no style 'Caption'; " \
           "briefing's own was used" in result.stderr
    section = docx.Document(str(tmp_path / "a" / "information-paper.docx")).sections[0]
    assert round(section.page_width.inches, 2) == 8.5
    (tmp_path / "house" / "docx").mkdir(parents=True)
    reference.rename(tmp_path / "house" / "docx" / "reference.docx")
    result = run_cli("build", FIXTURES / "information-paper.md", "--to", "docx", "--out", tmp_path / "b",
                     "--templates", tmp_path / "house")
    assert result.returncode == 0 and "no style 'Caption'" in result.stderr
    missing = run_cli("build", FIXTURES / "elements.md", "--reference-doc", tmp_path / "nope.docx")
    assert missing.returncode == 2 and "--reference-doc" in missing.stderr and "not a file" in missing.stderr


def test_debug_shows_the_traceback_of_a_bad_document():
    bad = FIXTURES / "bad" / "bad-classification.md"
    plain, debug = run_cli("check", bad), run_cli("check", "--debug", bad)
    assert plain.returncode == debug.returncode == 1
    assert "Traceback" not in plain.stderr
    assert "Traceback (most recent call last)" in debug.stderr and "BriefingError" in debug.stderr
    assert plain.stderr.splitlines()[-1] == debug.stderr.splitlines()[-1]  # the same one-line error


def test_fail_on_warning_on_build_and_check(write, tmp_path):
    warned = write("See [x](#nowhere).\n")
    out = tmp_path / "out"
    assert run_cli("build", warned, "--to", "html", "--out", out).returncode == 0
    (out / "brief.html").unlink()
    for command in (["build", "--fail-on-warning", warned, "--to", "html", "--out", out],
                    ["check", "-W", warned]):
        result = run_cli(*command)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"{warned}:5: warning: link to '#nowhere', which no heading or anchor has as its id, shown as text",
            f"{warned}: 1 warning, and --fail-on-warning makes any warning fail the briefing: nothing is "
            "written for it"]
    assert not (out / "brief.html").exists()


def test_report_must_name_a_file_of_its_own(tmp_path):
    import contextlib
    import os
    import stat

    """`--report` replaces its file whole: never a device, a symbolic link
    (whose target it would replace), a source, an output or the manifest."""
    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\nText.\n")
    out = tmp_path / "out"
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    (tmp_path / "link.json").symlink_to(precious)
    os.mkfifo(tmp_path / "pipe.json")
    special = [tmp_path / "pipe.json"]
    with contextlib.suppress(PermissionError):  # a device node of our own, not /dev/null: root only
        os.mknod(tmp_path / "null.json", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        special.append(tmp_path / "null.json")
    cases = {
        **{node: "not a regular file (a device, a pipe or a socket)" for node in special},
        tmp_path / "link.json": "a symbolic link; name the file itself",
        source: "a source on this command line",
        out / "brief.html": f"an output of {source}",
        out / ".briefing-manifest.json": "the build's manifest",
        tmp_path: "a folder, not a file",
    }
    for report, said in cases.items():
        result = run_cli("build", source, "--to", "html", "--out", out, "--report", report)
        assert (result.returncode, result.stderr) == (2, f"briefing: --report {report}: {said}\n")
    assert precious.read_text() == "keep me" and not out.exists()
    assert all(not node.is_file() for node in special)
    assert source.read_text().startswith("---")
    fine = run_cli("build", source, "--to", "html", "--out", out, "--report", tmp_path / "report.json")
    assert fine.returncode == 0 and (tmp_path / "report.json").is_file()
    for report in (*special, tmp_path / "link.json", source):  # check --report too
        result = run_cli("check", source, "--report", report)
        assert (result.returncode, result.stderr) == (2, f"briefing: --report {report}: {cases[report]}\n")
    assert precious.read_text() == "keep me" and source.read_text().startswith("---")


def test_file_names_cannot_pass_for_workflow_commands(tmp_path):
    """GitHub runs a log line that starts with `::` (after spaces), and a
    `##[command]` anywhere in a line, as a workflow command: a file name
    that carries one (`::stop-commands::` would silence every annotation
    after it) is shown escaped in every line, and stays the file it is."""
    names = ["a\n::stop-commands::pwned\n.md", "##[stop-commands]pwned.md", "::set-output name=x::y.md",
             " ::warning::spoof.md", "esc\x1b[31m.md"]
    for number, name in enumerate(names):  # every one warned of; two fail
        (tmp_path / name).write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\nSee [x](#nowhere).\n"
                                     + ("\n@tbl-missing\n" if number % 2 else ""))
    for github in ("true", "false"):
        for command in (["build", *names, "--to", "html", "--out", "out", "--force"], ["check", *names]):
            result = run_cli(*command, cwd=tmp_path, env={"GITHUB_ACTIONS": github})
            assert result.returncode == 1 and "Traceback" not in result.stderr
            lines = (result.stdout + result.stderr).splitlines()
            # one line a briefing, and one a problem: no name broke a line
            assert len(lines) == {"build": 5 + 1 + 7, "check": 3 + 7}[command[0]], lines
            assert not [line for line in lines if "\x1b" in line or "\r" in line], [line for line in lines if "\x1b" in line or "\r" in line]
            if github == "false":
                assert "a\\n::stop-commands::pwned\\n.md:5: warning: link to '#nowhere', which no heading " \
                       "or anchor has as its id, shown as text" in lines
                continue
            for line in lines:
                if line.startswith(("::error file=", "::warning file=")):
                    continue  # our own commands, each name escaped in its file= property
                assert not line.lstrip().startswith("::") and "##[" not in line, line
            assert any(line.startswith("::warning file=a%0A%3A%3Astop-commands%3A%3Apwned%0A.md,line=5::")
                       for line in lines)
            if command[0] == "check":
                assert "./::set-output name=x::y.md: ok" in lines and "./ ::warning::spoof.md: ok" not in lines
                assert "##\\[stop-commands]pwned.md:5: warning" not in lines  # GitHub shows it as a command
    assert sorted(p.name for p in (tmp_path / "out").glob("*.html")) == sorted(
        name.removesuffix(".md") + ".html" for number, name in enumerate(names) if not number % 2)
