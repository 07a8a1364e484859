"""Readable names for finding ids, read from the atlas the engine was given; the engine writes
them into the result, so the renderers print them without reading any table."""

from __future__ import annotations

from neuroloc.anatomy import Atlas


def finding_label(atlas: Atlas, finding_id: str) -> str:
    """A readable name for a finding id (``emg:tibialis-anterior`` -> "EMG tibialis anterior")."""
    kind, _, slug = finding_id.partition(":")
    prefix = {"emg": "EMG ", "cmap": "", "snap": "", "sensory": "sensation: "}.get(kind, "")
    target = f"muscle:{slug}" if kind == "emg" else finding_id
    try:
        return prefix + atlas.label(target)
    except KeyError:
        return finding_id
