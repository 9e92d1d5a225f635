"""The core stays pure: no module under assistant/core imports an adapter framework."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "assistant" / "core"
FORBIDDEN = {"faiss", "langchain", "langchain_core", "fastapi", "streamlit", "sentence_transformers", "torch",
             "uvicorn", "httpx", "onnxruntime", "index", "ui", "pypdf", "docx"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_no_adapter_framework() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(_imports(path) & FORBIDDEN) for path in CORE.rglob("*.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}
