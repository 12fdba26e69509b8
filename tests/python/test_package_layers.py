"""cdpsim_py imports one way: cli -> reports -> figures -> io and helpers, without cycles and
without private (underscore) names across modules. Parses the sources; imports nothing."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "scripts" / "cdpsim_py"

# Lowest first; a module may import its own layer or a lower one.
LAYERS = (
    {"errors", "i18n"},
    {"loader", "scenario", "progress", "style", "metrics", "html_parts"},
    {"run_figures", "ensemble_figures", "compare_figures", "sensitivity_figures", "figure_set"},
    {"report_parts", "run_report", "ensemble_report", "compare_report", "sensitivity_report",
     "html_report"},
    {"cli", "__main__", "__init__"},
)


def imports():
    """{module: [(imported module, [names])]} for every relative import, nested ones too."""
    out = {}
    for path in sorted(PACKAGE.glob("*.py")):
        edges = []
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [a.name for a in node.names]
                if node.module:
                    edges.append((node.module.split(".")[0], names))
                else:  # from . import a, b
                    edges += [(n, []) for n in names]
        out[path.stem] = edges
    return out


def layer_of(module):
    for i, layer in enumerate(LAYERS):
        if module in layer:
            return i
    raise AssertionError(f"cdpsim_py/{module}.py is in no layer of {__file__}")


def test_every_module_has_a_layer():
    for m in imports():
        layer_of(m)


def test_imports_go_down_only():
    bad = [f"{m} (layer {layer_of(m)}) imports {t} (layer {layer_of(t)})"
           for m, edges in imports().items() for t, _ in edges if layer_of(t) > layer_of(m)]
    assert not bad, bad


def test_no_private_names_across_modules():
    bad = [f"{m} imports {t}.{n}" for m, edges in imports().items() for t, names in edges
           for n in names if n.startswith("_")]
    assert not bad, bad


def test_no_cycles():
    graph = {m: {t for t, _ in edges if t != m} for m, edges in imports().items()}
    state = {}

    def visit(m, path):
        if state.get(m) == "done":
            return
        assert state.get(m) != "open", "import cycle: " + " -> ".join(path + [m])
        state[m] = "open"
        for t in sorted(graph.get(m, ())):
            visit(t, path + [m])
        state[m] = "done"

    for m in sorted(graph):
        visit(m, [])
