"""Readable names for finding ids, read from the atlas the engine was given; the engine writes
them into the result, so the renderers print them without reading any table."""

from __future__ import annotations

from neuroloc.anatomy import Atlas
from neuroloc.kinds import finding_kinds

# The id prefix of the structures each resolver kind finds (a bony point is a sensory zone).
_PREFIX = {"point": "sensory"}


def finding_target(atlas: Atlas, finding_id: str) -> str:
    """The atlas structure a finding id observes: ``emg:tibialis-anterior`` the muscle,
    ``vibration:great-toe`` the zone ``sensory:great-toe``, ``wasting:ankle-dorsiflexion`` the
    movement; an id that is a structure's own (``muscle:soleus``) itself."""
    kind, _, slug = finding_id.partition(":")
    spec = finding_kinds().get(kind)
    if spec is None:
        return finding_id
    for resolver in spec.resolve:
        ident = f"{_PREFIX.get(resolver, resolver)}:{slug}"
        try:
            atlas.structure(ident)
        except KeyError:
            continue
        return ident
    return finding_id


def finding_label(atlas: Atlas, finding_id: str) -> str:
    """A readable name for a finding id (``emg:tibialis-anterior`` -> "EMG tibialis anterior",
    ``vibration:great-toe`` -> "vibration: Great toe")."""
    kind = finding_id.partition(":")[0]
    spec = finding_kinds().get(kind)
    prefix = spec.label if spec else ""
    try:
        return prefix + atlas.label(finding_target(atlas, finding_id))
    except KeyError:
        return finding_id
