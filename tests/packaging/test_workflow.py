"""The hosted-CI workflow that builds and tests the bundle on Linux, Windows and macOS
cannot run here: actionlint checks it (syntax, expressions, action versions, job wiring)."""

import subprocess
import sys
from pathlib import Path

import yaml

from tests.desktop.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "bundle.yml"
ACTIONLINT = Path(sys.executable).with_name("actionlint")


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ACTIONLINT), "-no-color", str(path)], capture_output=True, text=True, timeout=60
    )


def test_the_bundle_workflow_passes_actionlint() -> None:
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("${{ matrix.os }}", "${{ matrix.system }}"))
    result = actionlint(broken)
    assert result.returncode == 1 and "matrix.system" in result.stdout


def test_the_workflow_builds_and_tests_on_the_three_systems() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    job = workflow["jobs"]["bundle"]
    systems = job["strategy"]["matrix"]["os"]
    assert {system.split("-")[0] for system in systems} == {"ubuntu", "windows", "macos"}
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "tests/packaging/test_bundle.py" in runs
    assert "bash tools/bundle.sh" in runs
    assert "tools/bundle/smoke.py" in runs
