"""The layers of mekong/ as the imports have them: each package imports only the layers
below it, and only app/ imports Streamlit (pages/ and dashboard.py aside)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mekong"

# What each layer may import (besides itself and mekong.paths). README "How it is put
# together" says the same in words.
ALLOWED = {
    "reference": set(),
    "store": {"reference"},
    "views": {"reference"},
    "importers": {"reference", "store", "views"},
    "exports": {"reference", "store", "views"},
    "app": {"reference", "store", "views", "importers", "exports"},
}


def _imports(path: Path, root: Path = ROOT) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                base = ".".join(path.relative_to(root).with_suffix("").parts[:-node.level])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)
    return names


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "mekong" and parts[1] in ALLOWED else None


def layer_violations(root: Path) -> list[str]:
    """Imports against the layers, and Streamlit outside app/, in root/mekong."""
    package = root / "mekong"
    wrong = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        imports = _imports(path, root)
        if len(rel.parts) == 1:  # __main__ (the command line) may use every layer; paths uses none
            if rel.name == "paths.py":
                wrong += [f"paths.py imports {m}" for m in imports if m.startswith("mekong.")]
            continue
        own = rel.parts[0]
        for module in sorted(imports):
            layer = _layer(module)
            if layer and layer != own and layer not in ALLOWED.get(own, set()):
                wrong.append(f"{rel} imports {module}")
            if module.split(".")[0] == "streamlit" and own != "app":
                wrong.append(f"{rel} imports {module} (only app/ may)")
    return sorted(set(wrong))


def test_every_module_sits_in_a_layer():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py", "paths.py"}]
    assert not loose, f"modules outside the layer packages: {loose}"
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(ALLOWED)


def test_layers_import_only_downwards_and_only_app_imports_streamlit():
    wrong = layer_violations(ROOT)
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_the_rule_catches_upward_imports_and_streamlit(tmp_path):
    """The checker itself, on a made-up tree: a views module importing app/ and
    Streamlit inside a function, a store module importing views/."""
    (tmp_path / "mekong" / "views").mkdir(parents=True)
    (tmp_path / "mekong" / "store").mkdir()
    (tmp_path / "mekong" / "views" / "probe.py").write_text("def f():\n    from ..app import ui\n    import streamlit.components\n")
    (tmp_path / "mekong" / "store" / "probe.py").write_text("from mekong.views.fmt import money\n")
    assert layer_violations(tmp_path) == [
        "store/probe.py imports mekong.views.fmt",
        "store/probe.py imports mekong.views.fmt.money",
        "views/probe.py imports mekong.app",
        "views/probe.py imports mekong.app.ui",
        "views/probe.py imports streamlit.components (only app/ may)",
    ]
