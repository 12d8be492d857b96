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


def test_readme_duckdb_snippet_runs_on_a_run(sample_run):
    line = next(ln for ln in README.splitlines() if ln.startswith(".venv/bin/python -c") and "duckdb" in ln)
    code = re.search(r'-c "(.*)"$', line).group(1).replace('\\"', '"').replace("demo_out", str(sample_run))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "language" in proc.stdout and "lang_en" in proc.stdout


def test_readme_error_example_is_what_the_cli_prints(tmp_path):
    quoted = re.search(r"`kocorpus run: error: (pipelines/korean_web.yaml: hangul_ratio.min_ration: [^`]+)`", README)
    assert quoted, "README error example missing"
    proc = subprocess.run(
        [sys.executable, "-m", "kocorpus.cli", "run", "pipelines/korean_web.yaml", "--input", str(SAMPLE)]
        + ["--output", str(tmp_path / "o"), "--set", "hangul_ratio.min_ration=0.3"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert quoted.group(1) in proc.stderr
