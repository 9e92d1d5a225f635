"""Run-time search adapters: the sentence embedder and the FAISS indexes behind the core's ports.

``index.build`` (offline tooling) writes the indexes; :mod:`.indexes` checks and loads them.
"""
