"""Regenerate the translation catalogues from ui/ and compile them: ``python tools/update_translations.py``.

Run it after adding or changing any ``tr()`` string (tests/ui/test_translations.py fails until you do).

1. ``pyside6-lupdate`` reads every ui/**/*.py and updates ``enforcedesk_zh_CN.ts`` (the full catalogue; Chinese is
   the source language, so it holds no translations) and ``enforcedesk_en.ts`` (English, partial), keeping the
   translations already made and dropping strings that no longer exist (``-no-obsolete``). Locations are
   left out: line numbers would change the files on every unrelated edit of the UI.
2. lupdate only sees string literals inside ``tr()``/``translate()``. The label tables the UI translates through
   a variable (``QCoreApplication.translate("ItemResult", _ITEM_RESULTS[r])``), small wrappers such as
   ``_tr("…")`` and the step-dialog field labels defined in services/procedures/actions.py are found here and handed to
   lupdate as ``QT_TRANSLATE_NOOP`` lines, so they are translatable too. Any other non-literal call is listed
   as unresolved (and fails the test): write the text as a literal or put it in a label table.
   Labels the services hand the screens ready-made (every value of models/enums.py ``LABELS``, the list titles,
   column headers and status names of services/read/queries.py, the field names of services/read/details.py) are
   harvested too, in the context ``data`` (the screens show them through ``ui.i18n.data_text``), and the step
   names of models/penalty_flow.py and mediation_flow.py in the context ``step`` (``ui.i18n.step_text``).
   No Qt is imported for that (models/services have none).
3. ``pyside6-lrelease`` compiles each .ts to the .qm that ui/i18n.py loads.

``--check`` changes nothing: exit 1 and list what is missing or stale.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "resources" / "i18n"  # the catalogues live with the other shipped resources
SOURCE_LANGUAGE = "zh_CN"
CATALOGUES = ("enforcedesk_zh_CN.ts", "enforcedesk_en.ts")

Entry = tuple[str, str]  # (context, Chinese source text)
DATA_CONTEXT = "data"  # ui.i18n.data_text's context: labels provided by services/models
STEP_CONTEXT = "step"  # ui.i18n.step_text's context: procedure step names (ACTION_LABELS)
# Wrappers defined in one module and called across ui/ (name → context).
SHARED_WRAPPERS = {"data_text": DATA_CONTEXT, "step_text": STEP_CONTEXT}
# Contexts whose texts are harvested from services/models below: a non-literal call of their wrapper is fine.
HARVESTED = frozenset({"FieldSpec", DATA_CONTEXT, STEP_CONTEXT})


# -- finding the strings lupdate cannot see ---------------------------------------------------------------


@dataclass
class Scan:
    extra: set[Entry] = field(default_factory=set)  # found here, handed to lupdate as QT_TRANSLATE_NOOP
    literal: set[Entry] = field(default_factory=set)  # plain tr("…")/translate("C", "…"): lupdate sees them
    unresolved: list[str] = field(default_factory=list)  # "ui/x.py:12: tr(name)" — not translatable as written
    # Functions that translate one of their parameters, which has a Chinese default: (function, parameter,
    # position) → context. Callers passing another text for it are looked up across ui/ afterwards.
    defaults: dict[tuple[str, str, int], str] = field(default_factory=dict)


def _str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _strings_of(node: ast.AST) -> list[str] | None:
    """The strings of a literal label table: a dict's values, or a tuple/list's items (None if not one)."""
    if isinstance(node, ast.Dict):
        values = [_str(v) for v in node.values]
    elif isinstance(node, (ast.Tuple, ast.List)):
        values = [_str(v) for v in node.elts]
    else:
        return None
    return [v for v in values if v is not None] if all(v is not None for v in values) else None


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _owners(tree: ast.Module, kind: type[ast.AST]) -> dict[ast.AST, ast.AST]:
    """Each node → the innermost enclosing ``kind`` node (class or function)."""
    owner: dict[ast.AST, ast.AST] = {}
    for outer in (n for n in ast.walk(tree) if isinstance(n, kind)):  # outer ones first: inner ones overwrite
        for node in ast.walk(outer):
            if node is not outer:
                owner[node] = outer
    return owner


def _param_default(fn: ast.AST | None, name: str) -> tuple[str, int, str] | None:
    """(parameter, position, Chinese default) if ``name`` is a parameter of ``fn`` with a string default."""
    if not isinstance(fn, ast.FunctionDef):
        return None
    positional = fn.args.args
    pos_defaults = dict(zip([a.arg for a in positional[len(positional) - len(fn.args.defaults):]],
                            fn.args.defaults, strict=True))
    kw_defaults = {a.arg: d for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True) if d is not None}
    default = _str(pos_defaults.get(name) or kw_defaults.get(name))
    if default is None:
        return None
    names = [a.arg for a in positional]
    return name, names.index(name) if name in names else -1, default


def scan_file(path: Path, rel: str, scan: Scan) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    tables: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            strings = _strings_of(node.value)
            if strings is not None:
                tables.update({t.id: strings for t in targets if isinstance(t, ast.Name)})
    # Wrappers: def f(text): return QCoreApplication.translate("Ctx", text) — calls f("…") are entries of Ctx.
    wrappers: dict[str, str] = dict(SHARED_WRAPPERS)
    wrapper_calls: set[ast.AST] = set()
    for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        params = [a.arg for a in fn.args.args]
        for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call) and _call_name(n) == "translate"):
            ctx = _str(call.args[0]) if call.args else None
            if ctx is not None and params and len(call.args) >= 2 and isinstance(call.args[1], ast.Name) \
                    and call.args[1].id == params[0]:
                wrappers[fn.name] = ctx
                wrapper_calls.add(call)
    classes, functions = _owners(tree, ast.ClassDef), _owners(tree, ast.FunctionDef)

    def resolve(ctx: str, arg: ast.AST, call: ast.Call, shown: str, *, literal_seen_by_lupdate: bool) -> None:
        text = _str(arg)
        if text is not None:
            (scan.literal if literal_seen_by_lupdate else scan.extra).add((ctx, text))
            return
        table = None
        if isinstance(arg, ast.Subscript):
            table = tables.get(arg.value.id) if isinstance(arg.value, ast.Name) else _strings_of(arg.value)
        if table is not None:
            scan.extra.update((ctx, s) for s in table)
            return
        fn = functions.get(call)
        default = _param_default(fn, arg.id) if isinstance(arg, ast.Name) else None
        if default is not None and isinstance(fn, ast.FunctionDef):
            param, position, value = default
            scan.extra.add((ctx, value))
            scan.defaults[(fn.name, param, position)] = ctx
            return
        scan.unresolved.append(f"{rel}:{call.lineno}: {shown}")

    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name = _call_name(call)
        if name == "tr" and call.args:
            cls = classes.get(call)
            ctx = cls.name if isinstance(cls, ast.ClassDef) else ""
            resolve(ctx, call.args[0], call, f"tr({ast.unparse(call.args[0])})", literal_seen_by_lupdate=True)
        elif name == "translate" and len(call.args) >= 2 and call not in wrapper_calls:
            ctx = _str(call.args[0])
            if ctx is None:
                scan.unresolved.append(f"{rel}:{call.lineno}: translate({ast.unparse(call.args[0])}, …)")
            else:
                resolve(ctx, call.args[1], call, f"translate({ctx!r}, {ast.unparse(call.args[1])})",
                        literal_seen_by_lupdate=True)
        elif name in wrappers and call.args:
            if wrappers[name] in HARVESTED and _str(call.args[0]) is None:
                continue  # step-dialog labels and data labels: harvested from services/models below
            resolve(wrappers[name], call.args[0], call, f"{name}({ast.unparse(call.args[0])})",
                    literal_seen_by_lupdate=False)


def scan_callers(path: Path, rel: str, scan: Scan) -> None:
    """Callers of a function found by ``_param_default`` that pass their own text for the translated parameter."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        for (fn, param, position), ctx in scan.defaults.items():
            if _call_name(call) != fn:
                continue
            given = [k.value for k in call.keywords if k.arg == param]
            if 0 <= position < len(call.args):
                given.append(call.args[position])
            for arg in given:
                text = _str(arg)
                if text is None:
                    scan.unresolved.append(f"{rel}:{call.lineno}: {fn}({param}={ast.unparse(arg)})")
                else:
                    scan.extra.add((ctx, text))


def field_spec_strings() -> set[Entry]:
    """Labels, help texts and choice labels of every step-dialog field (services/procedures/actions.py), context ``FieldSpec``."""
    sys.path.insert(0, str(ROOT))
    try:
        from services.procedures import actions
    finally:
        sys.path.remove(str(ROOT))
    out: set[Entry] = set()
    for value in vars(actions).values():
        if isinstance(value, dict):
            for specs in value.values():
                if isinstance(specs, tuple):
                    for spec in specs:
                        if isinstance(spec, actions.FieldSpec):
                            out.add(("FieldSpec", spec.label))
                            if spec.help:
                                out.add(("FieldSpec", spec.help))
                            out.update(("FieldSpec", text) for _value, text in spec.choices)
    return out | _record_form_strings()


def _record_form_strings() -> set[Entry]:
    """Titles and field labels of the case-file record forms (services/procedures/records/forms.py)."""
    sys.path.insert(0, str(ROOT))
    try:
        from services.procedures.records import forms
    finally:
        sys.path.remove(str(ROOT))
    out: set[Entry] = set()
    for title, specs in [*forms.RECORD_FORMS.values(), ("先行登记保存处理决定", forms.PRESERVATION_DECISION)]:
        out.add(("FieldSpec", title))
        for spec in specs:
            out.add(("FieldSpec", spec.label))
            out.update(("FieldSpec", text) for _value, text in spec.choices)
    return out


def _detail_texts(path: Path) -> set[str]:
    """Field names of services/read/details.py (``("地点", value)`` pairs) and the word before a title's first space."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=path.name)
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and (name := _str(node.elts[0])) is not None:
            out.add(name)
        if isinstance(node, ast.Call) and _call_name(node) == "RecordDetail" and len(node.args) >= 3:
            title = node.args[2]
            head = _str(title.values[0]) if isinstance(title, ast.JoinedStr) and title.values else None
            if head and " " in head:
                out.add(head.split(" ", 1)[0])  # f"检查记录 {number}": ui/widgets/detail_page.py translates the word
    return out


def data_strings(root: Path = ROOT) -> set[Entry]:
    """Labels the services/models hand the screens as data, context ``data`` (shown through data_text)."""
    sys.path.insert(0, str(root))
    try:
        from models import enums, labels, mediation_flow, penalty_flow
        from services.read import queries
    finally:
        sys.path.remove(str(root))
    texts = set(labels.LABELS.values())
    texts |= {queries.label_procedure(p) for p in enums.Procedure}
    for spec in queries.LISTS.values():
        texts.add(spec.title)
        texts.update(c.label for c in spec.columns)
        texts.update(text for _value, text in spec.statuses)
    texts |= _detail_texts(root / "services" / "read" / "details.py")
    steps = set(penalty_flow.ACTION_LABELS.values()) | set(mediation_flow.ACTION_LABELS.values())
    return {(DATA_CONTEXT, t) for t in texts if t} | {(STEP_CONTEXT, t) for t in steps if t}


def ui_sources(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / "ui").rglob("*.py") if "__pycache__" not in p.parts)


def scan_ui(root: Path = ROOT) -> Scan:
    scan = Scan()
    for path in ui_sources(root):
        scan_file(path, path.relative_to(root).as_posix(), scan)
    for path in ui_sources(root):
        scan_callers(path, path.relative_to(root).as_posix(), scan)
    scan.extra |= field_spec_strings()
    scan.extra |= data_strings(root)
    scan.extra -= scan.literal
    return scan


# -- lupdate / lrelease -----------------------------------------------------------------------------------


def tool(name: str) -> str:
    """``pyside6-<name>`` beside the running interpreter (the venv), else on PATH."""
    script = f"pyside6-{name}"
    beside = Path(sys.executable).parent / (script + (".exe" if os.name == "nt" else ""))
    found = str(beside) if beside.exists() else shutil.which(script)
    if not found:
        raise SystemExit(f"{script} not found: pip install -r requirements-dev.txt (PySide6-Essentials ships it)")
    return found


def _noop_file(entries: Iterable[Entry], folder: Path) -> Path:
    path = folder / "label_tables.py"
    lines = ["from PySide6.QtCore import QT_TRANSLATE_NOOP", ""]
    lines += [f"QT_TRANSLATE_NOOP({c!r}, {t!r})" for c, t in sorted(entries)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def lupdate(ts_files: Sequence[Path], scan: Scan, root: Path = ROOT) -> None:
    with tempfile.TemporaryDirectory(prefix="enforcedesk-i18n-") as tmp:
        sources = [str(p) for p in ui_sources(root)] + [str(_noop_file(scan.extra, Path(tmp)))]
        subprocess.run([tool("lupdate"), *sources, "-source-language", SOURCE_LANGUAGE, "-locations", "none",
                        "-no-obsolete", "-silent", "-ts", *map(str, ts_files)], check=True, cwd=root)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def read_ts(path: Path) -> dict[Entry, str | None]:
    """(context, source) → finished translation, or None where it is unfinished/empty."""
    out: dict[Entry, str | None] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            done = tr is not None and tr.get("type") not in ("unfinished", "obsolete", "vanished") and tr.text
            out[(name, msg.findtext("source") or "")] = tr.text if done and tr is not None else None
    return out


# -- commands ---------------------------------------------------------------------------------------------


def update(folder: Path = HERE) -> list[str]:
    scan = scan_ui()
    ts_files = [folder / name for name in CATALOGUES]
    lupdate(ts_files, scan)
    report = []
    for ts in ts_files:
        lrelease(ts, ts.with_suffix(".qm"))
        entries = read_ts(ts)
        done = sum(1 for v in entries.values() if v)
        report.append(f"{ts.name}: {len(entries)} strings, {done} translated")
    return report + [f"unresolved: {u}" for u in scan.unresolved]


def check(folder: Path = HERE) -> list[str]:
    """What is out of date, without writing anything: missing strings, stale .qm, unresolved calls."""
    problems = [f"not translatable as written: {u}" for u in scan_ui().unresolved]
    with tempfile.TemporaryDirectory(prefix="enforcedesk-i18n-") as tmp:
        fresh = Path(tmp) / "fresh_zh_CN.ts"
        lupdate([fresh], scan_ui())
        wanted = set(read_ts(fresh))
        for name in CATALOGUES:
            ts = folder / name
            if not ts.exists():
                problems.append(f"{name} is missing")
                continue
            missing = wanted - set(read_ts(ts))
            problems += [f"{name} lacks [{c}] {t!r}" for c, t in sorted(missing)]
            qm = ts.with_suffix(".qm")
            compiled = Path(tmp) / qm.name
            lrelease(ts, compiled)
            if not qm.exists() or qm.read_bytes() != compiled.read_bytes():
                problems.append(f"{qm.name} is not the compiled {name}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is out of date")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        print("\n".join(problems) or "translations are up to date")
        return 1 if problems else 0
    print("\n".join(update()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
