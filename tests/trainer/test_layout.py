"""Layout of the `trainer` package: installed with kocorpus (so `python -m trainer.eval` runs from any directory),
and no import cycles between its modules (one home for each loader)."""

import ast
import os
import shutil
import subprocess
import sys

from conftest import REPO


def _trainer_imports() -> dict[str, set[str]]:
    """module → trainer modules it imports (top-level and inside functions)."""
    graph = {}
    for path in sorted((REPO / "trainer").rglob("*.py")):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("trainer"):
                deps |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("trainer")}
        graph[name] = deps
    return {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}


def test_trainer_modules_have_no_import_cycle():
    graph = _trainer_imports()
    assert "trainer.model_init" in graph and "trainer.factorize" in graph

    def reaches(start: str, target: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            m = todo.pop()
            if m == target:
                return True
            if m not in seen:
                seen.add(m)
                todo += graph.get(m, ())
        return False

    cycles = sorted((a, b) for a, deps in graph.items() for b in deps if b != "trainer" and reaches(b, a))
    assert not cycles, cycles


def test_built_package_holds_the_trainer_and_runs_from_any_directory(tmp_path):
    """A wheel of the checkout holds `trainer` (modules, eval, configs); installed elsewhere, `python -m
    trainer.eval --help` runs from an unrelated directory and its default data paths exist."""
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("kocorpus", "trainer"):
        shutil.copytree(REPO / part, src / part, ignore=ignore)
    for f in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / f, src / f)
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", str(src), "-w", str(tmp_path / "dist")],
                   check=True, capture_output=True, cwd=src)  # fmt: skip
    wheel = next((tmp_path / "dist").glob("kocorpus-*.whl"))
    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)], check=True,
                   capture_output=True)  # fmt: skip
    for f in ("trainer/run.py", "trainer/eval/__main__.py", "trainer/configs/smollm2_ko_demo.yaml",
              "trainer/configs/accelerate/fsdp.yaml"):  # fmt: skip
        assert (site / f).is_file(), f
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(site), HF_HUB_OFFLINE="1")
    proc = subprocess.run([sys.executable, "-m", "trainer.eval", "--help"], cwd=elsewhere, env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0 and "kobest" in proc.stdout, proc.stderr[-2000:]
    check = ("import trainer.eval.__main__ as m; assert m.DEFAULT_KOBEST.is_dir(), m.DEFAULT_KOBEST; "
             "assert all(p.is_file() for p in m.DEFAULT_SETS.values()); print(m.__file__)")  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", check], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith(str(site)), proc.stderr[-2000:]
