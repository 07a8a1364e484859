"""Electrodiagnostic findings in words, derived from where their fibres run.

Used by the text output and by ``neuroloc explain``: a normal SNAP from numb skin puts the
lesion proximal to the dorsal root ganglion, paraspinal denervation puts it at the root, and
so on - each sentence follows from the pathway graph (SNAP routes start at the ganglion,
paraspinal routes leave through the posterior rami), not from a rule per syndrome.
"""

from __future__ import annotations

from collections.abc import Sequence

from neuroloc.anatomy import Atlas
from neuroloc.findings import Finding
from neuroloc.labels import finding_label


def edx_reasoning(atlas: Atlas, findings: Sequence[Finding]) -> list[str]:
    """Electrodiagnostic findings in words, derived from where their fibres run."""
    lines: list[str] = []
    abnormal_zones = {
        (f.target, f.side) for f in findings if f.kind == "sensory" and f.status == "abnormal"
    }
    for f in findings:
        if f.kind == "snap":
            nerve = atlas.studies[f.target].nerve
            zones = [  # zones this nerve supplies as a main nerve, not as a minor contributor
                z
                for z, side in abnormal_zones
                if side == f.side and atlas.zones[z].nerves.get(nerve) == "major"
            ]
            if f.status == "normal" and zones:
                names = ", ".join(atlas.label(z).lower() for z in zones)
                lines.append(
                    f"{atlas.label(f.target)} normal despite abnormal sensation ({names}): the "
                    "sensory axons are intact beyond the dorsal root ganglion, so the lesion lies "
                    "proximal to it - at the root."
                )
            elif f.status == "normal":
                lines.append(
                    f"{atlas.label(f.target)} normal: no axon loss in its fibres beyond the "
                    "dorsal root ganglion; a plexus or nerve lesion on its path is less likely."
                )
            else:
                lines.append(
                    f"{atlas.label(f.target)} {f.grade}: sensory axons are lost distal to the "
                    "dorsal root ganglion, so the lesion is in the plexus or the nerve, not the "
                    "root (a foraminal ganglion is the rare exception)."
                )
        elif f.kind == "emg" and all(atlas.muscles[m].emg_only for m in atlas.members(f.target)):
            if f.status == "abnormal":
                lines.append(
                    f"{atlas.label(f.target)} {f.grade}: the posterior rami leave the root "
                    "before the plexus, so paraspinal denervation places the lesion at the root."
                )
            else:
                lines.append(
                    f"{atlas.label(f.target)} normal: weighs only lightly against a root "
                    "lesion, because paraspinals are often spared in radiculopathy."
                )
        elif f.kind in ("emg", "cmap") and f.status == "abnormal":
            lines.append(
                f"{finding_label(f.id)} {f.grade}: motor axon loss in that muscle, explained "
                "like weakness of it but more sensitive."
            )
    return lines
