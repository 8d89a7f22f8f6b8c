"""Architecture and lint gates: the import-linter contracts in pyproject.toml hold, and ruff is clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str | None:
    """The venv's own console script (next to sys.executable), else whatever is on PATH."""
    beside = BIN / name
    return str(beside) if beside.exists() else shutil.which(name)


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = _tool("lint-imports")
    assert exe is not None, "lint-imports not found: pip install -r requirements-dev.txt"
    # --no-cache: leave no .import_linter_cache behind in the tree under test.
    return subprocess.run(
        [exe, "--no-cache", "--no-logo", "pyproject.toml"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_import_contracts_are_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_ruff_is_clean() -> None:
    exe = _tool("ruff")
    if exe is None:
        pytest.skip("ruff is not installed (pip install -r requirements-dev.txt)")
    result = subprocess.run(
        [exe, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- the contracts can fail ---------------------------------------------------------------------------

_CLEAN_TREE = {
    "ui/__init__.py": "",
    "ui/window.py": "import PySide6.QtWidgets\nimport services.procedures.cases\n",
    "services/__init__.py": "",
    "services/procedures/cases.py": "import sqlalchemy\nimport models.case\n",
    "models/__init__.py": "",
    "models/case.py": "import sqlalchemy\n",
}


def _write_tree(root: Path, extra: dict[str, str]) -> None:
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    for rel, text in {**_CLEAN_TREE, **extra}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_contracts_accept_a_clean_tree(tmp_path: Path) -> None:
    """Control for the cases below: the sample tree itself obeys every contract."""
    _write_tree(tmp_path, {})
    result = _lint_imports(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


_QT_FREE = "services and models do not import Qt"
_NO_ORM = "ui does not import SQLAlchemy or Alembic"
_LAYERS = "ui -> services -> models"


@pytest.mark.parametrize(
    ("extra", "broken_contract"),
    [
        ({"models/widget.py": "from PySide6.QtWidgets import QWidget\n"}, _QT_FREE),
        ({"services/dialogs.py": "import PySide6\n"}, _QT_FREE),
        ({"ui/query.py": "from sqlalchemy import select\n"}, _NO_ORM),
        ({"ui/migrate.py": "import alembic.command\n"}, _NO_ORM),
        ({"models/labels.py": "import ui.window\n"}, _LAYERS),
        ({"services/view.py": "from ui import window\n"}, _LAYERS),
    ],
    ids=["models-qt", "services-qt", "ui-sqlalchemy", "ui-alembic", "models-ui", "services-ui"],
)
def test_contracts_reject_a_violation(tmp_path: Path, extra: dict[str, str], broken_contract: str) -> None:
    _write_tree(tmp_path, extra)
    result = _lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert f"{broken_contract} BROKEN" in result.stdout, result.stdout + result.stderr
