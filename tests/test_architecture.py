"""The package's layers point one way (README, "Architecture"): text → vocabulary and model →
ingest | store → export | publish | seance → web → jobs and serve → cli. An import against that direction,
an import cycle, or a web worker that loads the PDF stack fails here, read from the source."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"
LAYERS = {  # package or module → rank: a module imports from its own rank or below, never above
    "recueil.text": 0,
    "recueil.vocabulary": 1, "recueil.urls": 1, "recueil.workers": 1,
    "recueil.model": 2, "recueil.config": 2,
    "recueil.ingest": 3, "recueil.store": 3,
    "recueil.export": 4, "recueil.publish": 4, "recueil.seance": 4, "recueil.alerts": 4,
    "recueil.web": 5,
    "recueil.jobs": 6, "recueil.serve": 6,
    "recueil.cli": 7, "recueil.cli_common": 7, "recueil.seance.cli": 7, "recueil.__main__": 8,
}
APART = {("recueil.ingest", "recueil.store"), ("recueil.store", "recueil.ingest"),  # ingest is pure; the store
         ("recueil.export", "recueil.publish")}                                    # keeps no reading rule


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SOURCE / "recueil").rglob("*.py")):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _layer(module: str) -> str:
    return max((name for name in LAYERS if module == name or module.startswith(name + ".")), key=len, default="")


def _statements(body: list[ast.stmt], at_import: bool) -> Iterator[tuple[ast.stmt, bool]]:
    """Every statement with whether it runs when the module is imported (module level, and the
    branches of a module-level if/try, but not an `if TYPE_CHECKING:` block nor a function)."""
    for node in body:
        yield node, at_import
        if isinstance(node, ast.If):
            checking = "TYPE_CHECKING" in ast.unparse(node.test)
            yield from _statements(node.body, at_import and not checking)
            yield from _statements(node.orelse, at_import)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _statements(block, at_import)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.For)):
            yield from _statements(node.body, at_import and isinstance(node, ast.ClassDef))


def _imports(module: str, path: Path) -> list[tuple[str, bool]]:
    """(imported recueil module, imported when the module is?) for each import of its source."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node, at_import in _statements(ast.parse(path.read_text(encoding="utf-8")).body, True):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], *([base] if base else [])])
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found += [(name, at_import) for name in names if name.startswith("recueil.")]
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def test_every_module_has_a_layer() -> None:
    assert [m for m in MODULES if m != "recueil" and not _layer(m)] == []


def test_imports_point_down_the_layers() -> None:
    wrong = [f"{module} → {imported}" for module, imports in GRAPH.items() if module != "recueil"
             for imported, _ in imports
             if LAYERS[_layer(imported)] > LAYERS[_layer(module)] or (_layer(module), _layer(imported)) in APART]
    assert wrong == []


def test_no_import_cycle() -> None:
    edges = {module: {name for name, at_import in imports if at_import and name in MODULES and name != module}
             for module, imports in GRAPH.items()}
    state: dict[str, str] = {}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            if state.get(target) == "open":
                cycles.append(" → ".join([*trail[trail.index(target):], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def _loaded(statement: str, prefixes: tuple[str, ...]) -> list[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return run.stdout.split()


def test_a_web_worker_does_not_load_the_pdf_stack() -> None:
    """The site reads the store: neither the PDF stack nor the reading of publications (the ACTES
    nomenclature, a table the SCDL export shares with the ingest, is all it takes from there)."""
    assert _loaded("import recueil.web.app", ("reportlab", "pypdfium2", "recueil.ingest.pipeline", "recueil.ingest.pdf",
                                              "recueil.ingest.kinds", "recueil.jobs")) == []


@pytest.mark.parametrize("module", ["recueil.ingest.pipeline", "recueil.ingest.batch"])
def test_ingest_is_pure(module: str) -> None:
    assert _loaded(f"import {module}", ("sqlalchemy", "recueil.store", "recueil.export", "recueil.publish")) == []
