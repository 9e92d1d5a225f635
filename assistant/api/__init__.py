"""HTTP API (FastAPI). Request/response models live in ``schemas``, separate from domain models."""
