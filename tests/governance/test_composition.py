"""Packages compose in create_app, not on import: importing a package's modules connects no
receiver (nothing depends on which modules happen to be imported), and create_app connects
each package's receivers once however many apps a process makes."""
import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("governance", "motions", "voting", "minutes")

PROBE = textwrap.dedent("""
    import minutes.operations, minutes.examine, voting.live, voting.rehearsal, motions.operations
    from governance.documents.signals import document_deleting
    from governance.meetings.signals import poll_under_way_asked, record_closed_asked, what_depends_on
    from governance.signals import join_state_asked
    from motions.signals import motion_adopted, motion_put_to_vote, motion_voted_asked
    signals = [document_deleting, record_closed_asked, join_state_asked, motion_adopted, motion_put_to_vote,
               motion_voted_asked, poll_under_way_asked, *what_depends_on.values()]
    print(sum(len(s.receivers) for s in signals))
    from governance import create_app
    for _ in range(2):
        create_app({"EXCOM_DATABASE_URL": "sqlite://", "EXCOM_ASYNC_MODE": "threading"})
        print(sum(len(s.receivers) for s in signals))
""")


def test_importing_connects_nothing_and_create_app_connects_once():
    counts = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                            timeout=120).stdout.split()
    assert counts[0] == "0"
    assert int(counts[1]) > 0 and counts[1] == counts[2]


def test_no_module_imports_itself_round_a_cycle():
    """A cycle among the app's modules (lazy imports count) fails here, before a review has to find it."""
    script = ROOT / ".ci" / "import_cycles.py"
    found = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stdout
    assert found.stdout.startswith("0 cycle(s)"), found.stdout


def test_no_package_reads_another_packages_table_by_name():
    """A package asks the one that owns a table (a signal), it does not name the table in a
    lightweight `sqlalchemy.table(...)`: the meetings once read voting's `polls` that way, out
    of sight of anyone changing that table."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                        and node.module == "sqlalchemy" for alias in node.names if alias.name == "table"}
            found += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                      if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported]
    assert found == []
