"""The versions a result is stamped with: neuroloc's, its knowledge base's and HPO's.

The knowledge base has no release number of its own: its version is a digest of every table
under ``anatomy/data`` (``kb-`` and 12 hex digits), so any edit to a table, however small, gives
a new version, and two installs with the same digest reason from the same tables.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
from typing import Any

FALLBACK_VERSION = "0.0.0+unknown"


@functools.cache
def neuroloc_version() -> str:
    """The installed distribution's version; a fallback when running from a bare source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("neuroloc")
    except PackageNotFoundError:  # not installed (a copied source tree)
        return FALLBACK_VERSION


def _data_files(root: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for entry in root.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            out.extend(_data_files(entry, f"{name}/"))
        elif entry.name.endswith(".yaml"):
            out.append((name, entry))
    return out


@functools.cache
def knowledge_base_version() -> str:
    """``kb-`` and the first 12 hex digits of a SHA-256 over every table's path and bytes."""
    root = importlib.resources.files("neuroloc.anatomy").joinpath("data")
    digest = hashlib.sha256()
    for name, entry in sorted(_data_files(root), key=lambda pair: pair[0]):
        data = entry.read_bytes()
        digest.update(f"{name}:{len(data)};".encode())
        digest.update(data)
    return f"kb-{digest.hexdigest()[:12]}"


@functools.cache
def hpo_release() -> str:
    """The HPO release ``ontology.yaml`` was checked against, read through the loader's
    content-keyed JSON cache (no YAML parsed on a warm cache, no ontology table compiled)."""
    from neuroloc.anatomy.loader import cached_data

    def parse(text: str) -> Any:
        from neuroloc.anatomy.yamlsafe import load_yaml  # refuses duplicate keys

        return load_yaml(text)

    source = importlib.resources.files("neuroloc.anatomy").joinpath("data/ontology.yaml")
    return str(cached_data("ontology", source, parse)["hpo_release"])


def versions() -> dict[str, str]:
    """``{"neuroloc", "knowledge_base", "hpo"}`` as the JSON result carries them (CONTRACT §3)."""
    return {
        "neuroloc": neuroloc_version(),
        "knowledge_base": knowledge_base_version(),
        "hpo": hpo_release(),
    }


__all__ = [
    "FALLBACK_VERSION",
    "hpo_release",
    "knowledge_base_version",
    "neuroloc_version",
    "versions",
]
