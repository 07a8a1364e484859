"""Readable names for finding ids, shared by the engine, the renderers and the teaching page."""

from __future__ import annotations

from neuroloc.anatomy import load_atlas


def finding_label(finding_id: str) -> str:
    """A readable name for a finding id (``emg:tibialis-anterior`` -> "EMG tibialis anterior")."""
    atlas = load_atlas()
    kind, _, slug = finding_id.partition(":")
    prefix = {"emg": "EMG ", "cmap": "", "snap": "", "sensory": "sensation: "}.get(kind, "")
    target = f"muscle:{slug}" if kind == "emg" else finding_id
    try:
        return prefix + atlas.label(target)
    except KeyError:
        return finding_id
