"""A compiled knowledge base shipped with the package, so a cold start skips reading the tables
and compiling them (the atlas compile is the largest fixed cost of a command that uses it).

``data/atlas.pickle`` holds a header and the pickled :class:`~neuroloc.anatomy.atlas.Atlas`
compiled from the shipped tables. It is served only for the shipped data directory and only
while its *fingerprint* matches: a SHA-256 of every table file under ``data/`` (name and bytes)
and of the anatomy package's own source files (which define the records the pickle rebuilds).
Any edit to a table or to that code makes it stale, and a stale or unreadable file is never
served: :func:`load_prebuilt` returns ``None`` and the atlas is compiled from the tables as
before, so a stale file costs speed, never answers. Fingerprinting reads about 300 KB and takes
about a millisecond; loading the pickle takes a fraction of a compile.

Rebuild it after editing the tables or the anatomy code with
``python -m neuroloc.anatomy.prebuilt``; ``--check`` exits 1 when it is stale (a test runs the
same check). ``NEUROLOC_NO_PREBUILT=1`` turns it off. The file is the package's own data, read
from inside the installed package, never from a user-supplied path.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neuroloc.anatomy.atlas import Atlas

FORMAT = 1  # bump when the header or the way the atlas is pickled changes
PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"
PREBUILT = DATA / "atlas.pickle"


def _proxy(items: dict) -> types.MappingProxyType:
    """Rebuilds a read-only mapping of the atlas (pickle cannot store a mappingproxy itself)."""
    return types.MappingProxyType(items)


def fingerprint(data: Path = DATA, package: Path = PACKAGE) -> str:
    """SHA-256 of every ``*.yaml`` under ``data`` and every ``*.py`` of ``package`` (relative
    name, length and bytes, in sorted order), and of :data:`FORMAT`."""
    digest = hashlib.sha256(f"prebuilt format {FORMAT};".encode())
    files = [(p.relative_to(data).as_posix(), p) for p in data.rglob("*.yaml")]
    files += [(f"code/{p.name}", p) for p in package.glob("*.py")]
    for name, path in sorted(files):
        content = path.read_bytes()
        digest.update(f"{name}:{len(content)};".encode())
        digest.update(content)
    return digest.hexdigest()


def _dumps(atlas: Atlas, key: str) -> bytes:
    out = io.BytesIO()
    header = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    header.dump({"format": FORMAT, "fingerprint": key})
    body = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    body.dispatch_table = {types.MappingProxyType: lambda m: (_proxy, (dict(m),))}
    body.dump(atlas)
    return out.getvalue()


def load_prebuilt(path: Path = PREBUILT) -> Atlas | None:
    """The shipped compiled atlas if it is present, readable and fresh; otherwise ``None``."""
    if os.environ.get("NEUROLOC_NO_PREBUILT"):
        return None
    try:
        with path.open("rb") as handle:
            header = pickle.load(handle)
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                return None
            if header.get("fingerprint") != fingerprint():
                return None
            atlas = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None
    from neuroloc.anatomy.atlas import Atlas

    return atlas if isinstance(atlas, Atlas) else None


def is_fresh(path: Path = PREBUILT) -> bool:
    """Whether the file holds the atlas of the current tables and code (its header says so)."""
    try:
        with path.open("rb") as handle:
            header = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError):
        return False
    return (
        isinstance(header, dict)
        and header.get("format") == FORMAT
        and header.get("fingerprint") == fingerprint()
    )


def compile_shipped() -> Atlas:
    """The atlas compiled from the shipped YAML tables, read without any cache."""
    from neuroloc.anatomy.atlas import build_atlas
    from neuroloc.anatomy.errors import AtlasError
    from neuroloc.anatomy.loader import read_tables

    atlas, faults = build_atlas(read_tables(DATA, use_cache=False))
    if atlas is None:
        raise AtlasError(faults)
    return atlas


def write_prebuilt(path: Path = PREBUILT) -> Path:
    """Compile the shipped tables and write them, with their fingerprint, to ``path``."""
    key = fingerprint()
    payload = _dumps(compile_shipped(), key)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(payload)
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m neuroloc.anatomy.prebuilt``: rebuild the file; ``--check``: is it fresh?"""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--check"]:
        if is_fresh():
            print(f"{PREBUILT.name} is up to date")
            return 0
        print(f"{PREBUILT.name} is stale: run python -m neuroloc.anatomy.prebuilt")
        return 1
    if args:
        print("usage: python -m neuroloc.anatomy.prebuilt [--check]")
        return 2
    written = write_prebuilt()
    print(f"wrote {written} ({written.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    # Run through the package's module, not this ``__main__`` copy, so the pickle refers to
    # ``neuroloc.anatomy.prebuilt._proxy`` and loads in any process.
    from neuroloc.anatomy import prebuilt

    sys.exit(prebuilt.main())
