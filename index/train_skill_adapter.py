"""Train the skill-query adapter (see ``assistant.core.linking.adapter``) from ESCO alone.

    python -m index.train_skill_adapter [--source ../shared/data] [--out index/data/models/skill_adapter.npz]

Training pairs are (skill description → skill preferred label) for every ESCO v1.1.1 skill with a
description: the descriptions are sentences about doing the skill, as job ads and résumés are.
Both sides are embedded with the packaged all-MiniLM-L6-v2; only a 384×384 matrix ``W`` is learnt
(initialised to identity, penalised for leaving it) with a softmax over all 13,896 labels. No
evaluation data is used. Deterministic: fixed seed, single-threaded order. About ten minutes on two
CPU cores, most of it embedding.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "models" / "skill_adapter.npz"
HYPERPARAMETERS = {"epochs": 3, "penalty": 0.1, "temperature": 20.0, "learning_rate": 1e-3, "batch": 1024, "seed": 0}


def train(descriptions: np.ndarray, labels: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Learn W so that normalize(W·description) ranks its own label first among all labels."""
    import torch

    torch.manual_seed(int(HYPERPARAMETERS["seed"]))
    x, keys, y = torch.tensor(descriptions), torch.tensor(labels), torch.tensor(targets)
    identity = torch.eye(x.shape[1])
    weights = torch.nn.Parameter(identity.clone())
    optimiser = torch.optim.Adam([weights], lr=HYPERPARAMETERS["learning_rate"])
    generator = torch.Generator().manual_seed(int(HYPERPARAMETERS["seed"]))
    batch = int(HYPERPARAMETERS["batch"])
    for epoch in range(int(HYPERPARAMETERS["epochs"])):
        order = torch.randperm(len(x), generator=generator)
        total = 0.0
        for start in range(0, len(x), batch):
            rows = order[start : start + batch]
            queries = torch.nn.functional.normalize(x[rows] @ weights.T, dim=1)
            logits = HYPERPARAMETERS["temperature"] * (queries @ keys.T)
            loss = torch.nn.functional.cross_entropy(logits, y[rows])
            loss = loss + HYPERPARAMETERS["penalty"] * ((weights - identity) ** 2).sum()
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            total += float(loss.detach()) * len(rows)
        print(f"epoch {epoch + 1}: loss {total / len(x):.4f}", flush=True)
    return weights.detach().numpy()


def main(argv: list[str] | None = None) -> None:
    from assistant.adapters.files import sha256_of
    from assistant.adapters.search.embedding import SentenceTransformerEmbedder
    from assistant.core.linking.adapter import QueryAdapter
    from index.bundle import DEFAULT_SOURCE_DIR
    from index.importers import esco

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    skills = esco.read_skills(args.source / "esco", with_descriptions=True)
    described = [s for s in skills if s.description]
    embedder = SentenceTransformerEmbedder()
    started = time.perf_counter()
    labels = embedder.embed([s.preferred_label for s in skills])
    position = {s.uri: i for i, s in enumerate(skills)}
    descriptions = embedder.embed([s.description or "" for s in described])
    targets = np.array([position[s.uri] for s in described])
    print(f"embedded {len(skills)} labels and {len(described)} descriptions in {time.perf_counter() - started:.0f}s")
    matrix = train(descriptions, labels, targets)
    info = {
        "pairs": len(described),
        "hyperparameters": HYPERPARAMETERS,
        "esco_classification_sha256": sha256_of(esco.esco_paths(args.source / "esco")[0]),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    QueryAdapter(matrix, model_id=embedder.model_id, info=info).save(args.out)
    print(json.dumps({"written": str(args.out), "model_id": embedder.model_id, **info}, indent=2))


if __name__ == "__main__":
    main()
