"""The direction of imports: core ← adapters ← use cases | offline tooling ← settings ← wiring root ← entry
points, and the pages import nothing of the server. The contracts live in ``pyproject.toml``
(``[tool.importlinter]``) and are checked by import-linter over every import, function-local ones included.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )


def test_every_layer_contract_is_kept() -> None:
    result = _lint(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout[-4000:]
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


def test_the_checker_sees_the_imports_a_reversed_order_would_break(tmp_path: Path) -> None:
    """Not a vacuous pass: with the layers upside down, the real imports break the contract."""
    config = tmp_path / "reversed.toml"
    config.write_text(
        '[tool.importlinter]\nroot_packages = ["assistant", "index", "ui", "eval"]\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "upside down"\ntype = "layers"\n'
        'layers = ["assistant.core", "assistant.adapters", "assistant.usecases", "assistant.bootstrap",'
        ' "assistant.api"]\n'
    )
    result = _lint(config)
    assert result.returncode == 1
    assert "assistant.core is not allowed to import" not in result.stdout
    assert "assistant.usecases is not allowed to import assistant.api" not in result.stdout
    assert "is not allowed to import assistant.core" in result.stdout


def test_importing_the_core_and_the_document_adapter_loads_no_parser_or_framework() -> None:
    """The adapters load pypdf and python-docx only when a file needs them; the core never does."""
    code = (
        "import sys, assistant.core, assistant.core.resume, assistant.core.dialogue, assistant.usecases, "
        "assistant.adapters.documents; "
        "print(sorted({'docx', 'pypdf', 'lxml', 'fastapi', 'streamlit', 'faiss', 'langchain', 'torch'} "
        "& set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
