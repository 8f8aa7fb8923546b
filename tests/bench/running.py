"""Running an `excom bench` command as its user would, and reading its one JSON line."""
import json
import subprocess
import sys
from pathlib import Path


def bench(mode: str, *args: str, timeout: float = 200) -> dict:
    """`excom bench MODE ARGS...` in a process of its own; answers the JSON line it printed."""
    script = Path(sys.executable).with_name("excom")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from governance.cli import main; main()"]
    done = subprocess.run([*command, "bench", mode, *args], capture_output=True, text=True, timeout=timeout)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no figures (exit {done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}"
    assert done.returncode == 0, f"exit {done.returncode}:\n{done.stdout}\n{done.stderr[-3000:]}"
    return json.loads(lines[-1])

