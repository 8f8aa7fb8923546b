"""`python -m governance.cli` is the same command as `excom` (the helpers' and scripts' way to run
the tree they are in); before, it imported the module and did nothing, silently, with status 0."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_python_m_governance_cli_runs_the_excom_command():
    answer = subprocess.run([sys.executable, "-m", "governance.cli", "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert answer.returncode == 0, answer.stderr
    assert "init-db" in answer.stdout and "create-user" in answer.stdout
