"""Where the top-level folders (templates, migrations, demo data) are at run time.

In a source checkout or an editable install they sit beside the packages; in a wheel
they are carried inside the governance package (see pyproject.toml, force-include).
"""
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the {name!r} folder is missing from this installation")


def demo_data_path() -> Path:
    return _PACKAGE / "demo" / "excom-2024.json"
