"""The README's commands are the ones that work: demo command, DuckDB snippet, error message example."""

import re
import subprocess
import sys

from conftest import REPO, SAMPLE, readme_demo_command

README = (REPO / "README.md").read_text()


def test_readme_demo_command_is_the_makefile_recipe():
    makefile = (REPO / "Makefile").read_text()
    recipe = next(ln.strip() for ln in makefile.splitlines() if "kocorpus run" in ln)
    recipe = recipe.replace("$(BIN)", ".venv/bin").replace("$(DEMO_OUT)", "demo_out")
    assert recipe.split() == readme_demo_command()


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    assert [ln.split()[:2] for ln in first_block.strip().splitlines()] == [["make", "demo"], ["make", "test"]]


def test_readme_sql_commands_run_on_a_run(sample_run, tmp_path, monkeypatch, capsys):
    import shlex

    from kocorpus.cli import main

    lines = [ln for ln in README.splitlines() if ln.startswith(".venv/bin/kocorpus sql ")]
    assert len(lines) >= 3
    monkeypatch.chdir(REPO)
    for line in lines:
        argv = shlex.split(line.replace("demo_out", str(sample_run)))[1:]
        if "--output" in argv:
            argv[argv.index("--output") + 1] = str(tmp_path / argv[argv.index("--output") + 1])
        assert main(argv) == 0, line
    out = capsys.readouterr().out
    assert "lang_en" in out and "NNG" in out  # funnel_by_step's reasons, the morphemes query
    assert (tmp_path / "quantiles.csv").read_text().startswith("filter,signal,docs")


def test_readme_error_example_is_what_the_cli_prints(tmp_path):
    quoted = re.search(r"`(error: pipelines/korean_web.yaml: hangul_ratio.min_ration: [^`]+)`", README)
    assert quoted, "README error example missing"
    proc = subprocess.run(
        [sys.executable, "-m", "kocorpus.cli", "run", "pipelines/korean_web.yaml", "--input", str(SAMPLE)]
        + ["--output", str(tmp_path / "o"), "--set", "hangul_ratio.min_ration=0.3"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == quoted.group(1)  # the whole of stderr: one line
