"""Architecture and lint gates: the import-linter contracts in pyproject.toml hold, ruff is clean, and no module
has grown into a room of its own (main.py stays the thin entry; product modules stay under 700 lines)."""

from __future__ import annotations

import ast
import re
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


@pytest.mark.slow
def test_mypy_is_clean_over_models_and_services(tmp_path: Path) -> None:
    """[tool.mypy] in pyproject.toml: zero errors and no unused ``type: ignore`` (docs/architecture.md §9)."""
    exe = _tool("mypy")
    if exe is None:
        pytest.skip("mypy is not installed (pip install -r requirements-dev.txt)")
    result = subprocess.run([exe, "--cache-dir", str(tmp_path / "cache"), "models", "services"], cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr


def test_mypy_reports_a_type_error(tmp_path: Path) -> None:
    """Control for the test above: the configuration really checks function bodies (check_untyped_defs)."""
    exe = _tool("mypy")
    if exe is None:
        pytest.skip("mypy is not installed (pip install -r requirements-dev.txt)")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "bad.py").write_text('def f():\n    x: int = "text"\n    return x\n', encoding="utf-8")
    result = subprocess.run([exe, "--cache-dir", str(tmp_path / "cache"), "bad.py"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "Incompatible types in assignment" in result.stdout, result.stdout


# -- the contracts can fail ---------------------------------------------------------------------------

_CLEAN_TREE = {
    "cli/__init__.py": "",
    "cli/commands.py": "import ui.window\nimport services.procedures.cases\n",
    "tools/__init__.py": "",
    "ui/__init__.py": "",
    "ui/window.py": "import PySide6.QtWidgets\nimport services.procedures.cases\n",
    "services/__init__.py": "",
    "services/procedures/cases.py": "import sqlalchemy\nimport models.case\n",
    "models/__init__.py": "",
    "models/case.py": "import sqlalchemy\n",
    "models/enums.py": "",
    "ui/labels.py": "import models.enums\n",  # enums and pure rules are the screens' to import
    # every entity module the ui-no-entities contract names must exist for import-linter
    **{f"models/{m}.py": "import sqlalchemy\n" for m in (
        "base", "catalogue", "district", "figures", "inspection", "mediation", "org", "party", "records", "registry",
        "sync", "system")},
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
_NO_ENTITIES = "ui imports no ORM entity module"


@pytest.mark.parametrize(
    ("extra", "broken_contract"),
    [
        ({"models/widget.py": "from PySide6.QtWidgets import QWidget\n"}, _QT_FREE),
        ({"services/dialogs.py": "import PySide6\n"}, _QT_FREE),
        ({"ui/query.py": "from sqlalchemy import select\n"}, _NO_ORM),
        ({"ui/migrate.py": "import alembic.command\n"}, _NO_ORM),
        ({"models/labels.py": "import ui.window\n"}, _LAYERS),
        ({"services/view.py": "from ui import window\n"}, _LAYERS),
        ({"ui/menu.py": "import cli.commands\n"}, _LAYERS),
        ({"ui/case_view.py": "from models.case import PenaltyCase\n"}, _NO_ENTITIES),
        ({"ui/review.py": "import models.district\n"}, _NO_ENTITIES),
    ],
    ids=["models-qt", "services-qt", "ui-sqlalchemy", "ui-alembic", "models-ui", "services-ui", "ui-cli",
         "ui-entity", "ui-entity-module"],
)
def test_contracts_reject_a_violation(tmp_path: Path, extra: dict[str, str], broken_contract: str) -> None:
    _write_tree(tmp_path, extra)
    result = _lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert re.search(rf"{re.escape(broken_contract)}.* BROKEN", result.stdout), result.stdout + result.stderr


# -- what the repository may say: no developer's paths, no notes kept outside it ----------------------------------

# Patterns are assembled so that this file does not match itself.
_MACHINE_PATHS = re.compile(
    r"/(?:work|root)/"  # the development machine's checkout, venv and home
    r"|/home/[a-z_][\w.-]*/"  # a Linux home folder
    r"|/Users/[A-Za-z][\w.-]*/"  # a macOS home folder
    r"|\b[A-Za-z]:[\\/]{1,2}Users[\\/]{1,2}(?![<%])\w"  # a Windows profile; C:\Users\<用户名> is the placeholder
    r"|/tmp/[A-Za-z0-9]"  # a particular temporary file (tests use tmp_path)
)
_OUTSIDE_NOTES = re.compile(r"\b(?:domain|perf|peers|style)\.md\b|\.\./shared/|\bshared/(?:seed)\b")
_BINARY_SUFFIXES = {".png", ".ttf", ".ttc", ".qm", ".ico", ".pdf", ".xlsx", ".docx", ".sqlite3", ".edsync"}


def _tracked_text_files() -> list[Path]:
    """Every tracked file that is text (git's index; without git, the tree minus caches and build output)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
        paths = [ROOT / p for p in out.decode("utf-8").split("\0") if p]
    except (OSError, subprocess.SubprocessError):
        skip = {".git", "__pycache__", "build", "dist", ".venv", "venv", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
        paths = [p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]
    files = []
    for p in paths:
        if p.suffix.lower() in _BINARY_SUFFIXES or not p.is_file():
            continue
        head = p.read_bytes()[:8192]
        if b"\0" not in head:
            files.append(p)
    return files


def _offences(pattern: re.Pattern[str], files: list[Path]) -> list[str]:
    found = []
    for p in files:
        for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{p.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    return found


def test_no_tracked_file_holds_a_developer_machine_path() -> None:
    files = _tracked_text_files()
    assert len(files) > 100  # the scan really saw the tree
    offences = _offences(_MACHINE_PATHS, files)
    assert not offences, "machine-specific paths (use relative paths or placeholders such as $DB):\n" + "\n".join(
        offences)


def test_no_tracked_file_cites_notes_kept_outside_the_repository() -> None:
    offences = _offences(_OUTSIDE_NOTES, _tracked_text_files())
    assert not offences, ("cite the statute (e.g. 《行政处罚法》第六十条) or a file in this repository "
                          "(docs/legal-basis.md, docs/performance.md, docs/architecture.md):\n" + "\n".join(offences))


_W, _R, _S = "/wo" + "rk/", "/ro" + "ot/", "\\"
_MD = ".m" + "d"


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        (f"cd {_W}main && python bench/bench_sync.py", True),
        (f"python {_R}enforcedesk/main.py", True),
        ("see /ho" + "me/alice/enforcedesk/docs", True),
        ("/Use" + "rs/bob/Library/EnforceDesk", True),
        (f"C:{_S}Users{_S}zhang{_S}AppData", True),
        (f"C:{_S}{_S}Users{_S}{_S}zhang", True),
        ("/tm" + "p/pytest-of-x/test0/db.sqlite3", True),
        (f"C:{_S}Users{_S}<用户名>{_S}AppData{_S}Roaming{_S}EnforceDesk", False),
        (f"%APPDATA%{_S}EnforceDesk and ~/.local/share/EnforceDesk", False),
        ("python bench/bench_sync.py --db $DB", False),
        ("${TMPDIR:-/tm" + "p}/enforcedesk-pg.XXXXXX", False),
    ],
)
def test_the_machine_path_check_flags_real_paths_only(line: str, flagged: bool) -> None:
    assert bool(_MACHINE_PATHS.search(line)) is flagged


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        (f"(perf{_MD} §4: 80 MB)", True),
        (f"the common defects of domain{_MD} §6", True),
        (f"peers{_MD} §7 no. 1", True),
        (f"house rules in style{_MD}", True),
        ("`../sha" + "red/seed/`", True),
        ("(docs/legal-basis.md §7)", False),
        ("《行政处罚法》第六十条", False),
    ],
)
def test_the_citation_check_flags_outside_notes_only(line: str, flagged: bool) -> None:
    assert bool(_OUTSIDE_NOTES.search(line)) is flagged


# -- sizes: a module that keeps growing holds more than one thing --------------------------------------------

MAX_LINES = 700


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_main_py_is_the_thin_entry() -> None:
    assert _lines(ROOT / "main.py") < 150


def test_no_product_module_over_700_lines() -> None:
    """cli/, ui/, services/ and models/; migrations are history and stay as written. tools/ is not product code
    (its largest file is printed for the record, not held to the limit)."""
    long = {}
    for package in ("cli", "ui", "services", "models"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in f"/{rel}":
                continue
            if (n := _lines(path)) > MAX_LINES:
                long[rel] = n
    assert long == {}, f"over {MAX_LINES} lines: {long}"
    largest = max((ROOT / "tools").rglob("*.py"), key=_lines)
    print(f"largest tools/ file: {largest.relative_to(ROOT).as_posix()} ({_lines(largest)} lines)")


# -- record kinds: a record's kind is a RecordKind member, never a bare table name --------------------------------

# Where a value names the kind of record it belongs to: the owner of a deadline, an attachment, a document, a
# home work item or a sync state. A parameter or dataclass field of one of these names is such a place.
_KIND_PARAMS = frozenset({"owner_table", "record_table", "record_type"})


def _record_kinds() -> frozenset[str]:
    from models.enums import RecordKind

    return frozenset(k.value for k in RecordKind)


def _kind_sinks(trees: list[ast.Module]) -> dict[str, set[int]]:
    """Callable name → positions of its record-kind arguments (functions, methods without self, classes through
    __init__ or dataclass fields)."""
    sinks: dict[str, set[int]] = {}

    def note(name: str, params: list[str]) -> None:
        for i, p in enumerate(params):
            if p in _KIND_PARAMS:
                sinks.setdefault(name, set()).add(i)

    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        note(node.name, [a.arg for a in [*item.args.posonlyargs, *item.args.args][1:]])
                if any("dataclass" in ast.unparse(d) for d in node.decorator_list):
                    note(node.name, [i.target.id for i in node.body
                                     if isinstance(i, ast.AnnAssign) and isinstance(i.target, ast.Name)])
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name != "__init__":
                params = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
                note(node.name, params[1:] if params[:1] in (["self"], ["cls"]) else params)
    return sinks


def _bare_kinds(tree: ast.Module, sinks: dict[str, set[int]], kinds: frozenset[str]) -> list[int]:
    """Line numbers where a bare table-name string is passed or compared as a record kind."""

    def bare(node: ast.expr) -> bool:
        return isinstance(node, ast.Constant) and node.value in kinds

    def kind_attr(node: ast.expr) -> bool:
        return isinstance(node, ast.Attribute) and node.attr in _KIND_PARAMS

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            where = sinks.get(name, set())
            if any(i in where and bare(a) for i, a in enumerate(node.args)) or any(
                    k.arg in _KIND_PARAMS and bare(k.value) for k in node.keywords):
                lines.append(node.lineno)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(kind_attr(s) for s in sides) and any(bare(s) for s in sides):
                lines.append(node.lineno)
    return lines


def test_record_kinds_are_named_by_record_kind() -> None:
    files = [p for package in ("cli", "tools", "ui", "services") for p in sorted((ROOT / package).rglob("*.py"))
             if "migrations" not in p.parts]
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in files}
    sinks, kinds = _kind_sinks(list(trees.values())), _record_kinds()
    assert {"store", "DocType", "AttachmentsPanel", "WorkItem"} <= set(sinks)  # the scan found the places
    offences = [f"{p.relative_to(ROOT).as_posix()}:{n}" for p, tree in trees.items()
                for n in _bare_kinds(tree, sinks, kinds)]
    assert not offences, "use models.enums.RecordKind, not a bare table name:\n" + "\n".join(offences)


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ('dl.store(s, "inspection", insp.id, specs)', True),
        ('store(s, owner_table="penalty_case", owner_id=1, specs=[])', True),
        ('DocType("x", "标题", "mediation_case", load, gather, compose)', True),
        ('doc.record_table == "penalty_case"', True),
        ('dl.store(s, RecordKind.INSPECTION, insp.id, specs)', False),
        ('dl.store(s, table, insp.id, specs)', False),
        ('next_number(s, doc_type="inspection")', False),  # a numbering, not a record kind
        ('raise ValidationError("请选择", field="party")', False),
    ],
)
def test_the_record_kind_check_flags_bare_table_names_only(line: str, flagged: bool) -> None:
    sample = ast.parse("def store(session, owner_table, owner_id, specs): ...\n"
                       "@dataclass\nclass DocType:\n    name: str\n    title: str\n    record_table: str\n")
    sinks = _kind_sinks([sample])
    assert bool(_bare_kinds(ast.parse(line), sinks, _record_kinds())) is flagged
