"""Electrodiagnostic findings in words, derived from where their fibres run.

Used by the text output and by ``neuroloc explain``: a conduction block or focal slowing names
the segment of nerve that holds the lesion; a normal SNAP from numb skin puts the lesion
proximal to the dorsal root ganglion - unless a demyelinating lesion seen on the nerve studies
explains it, or the injury is too recent for the axons beyond it to have degenerated;
paraspinal denervation puts it at the root. Each sentence follows from the pathway graph (SNAP
routes start at the ganglion, paraspinal routes leave through the posterior rami, a study
segment holds its sites), not from a rule per syndrome. Every sentence names its side, and
the output never depends on set order (so it is the same under every hash seed).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from neuroloc.anatomy import Atlas
from neuroloc.findings import Finding
from neuroloc.kinds import modality_kinds

# Wallerian degeneration takes about this long to reach the SNAP: before it, a normal SNAP
# says nothing about where the lesion lies (the axons beyond a cut nerve still conduct).
WALLERIAN_DAYS = 10


def _segment_words(atlas: Atlas, study_id: str) -> str:
    sites = atlas.studies[study_id].sites
    return " or ".join(atlas.sites[s].label for s in sites) if sites else "that segment"


def edx_reasoning(
    atlas: Atlas,
    findings: Sequence[Finding],
    *,
    days: int | None = None,
    competitors: Collection[str] = (),
) -> list[str]:
    """Electrodiagnostic findings in words, derived from where their fibres run.

    ``days`` is how long ago the symptoms began (``clinical.pain.duration_days``), if known;
    ``competitors`` are the site ids among the ranked candidates (a diffuse process among them
    that reaches a SNAP is named beside the plexus and the nerve when that SNAP is lost).
    """
    lines: list[str] = []
    numb = sorted(  # a zone numb to any modality (sensory:, pinprick:, vibration: ...)
        (f.target, f.side)
        for f in findings
        if f.status == "abnormal" and (f.kind == "sensory" or f.kind in modality_kinds())
    )
    blocks = {  # side -> the segments with a conduction block or focal slowing
        f.side: f
        for f in sorted(findings, key=lambda x: (x.side, x.id))
        if f.kind == "ncs" and f.status == "abnormal"
    }
    diffuse = sorted(
        {s for s in competitors if s in atlas.sites and atlas.sites[s].level == "diffuse"}
    )
    axon_loss: dict[str, list[str]] = {}
    for f in findings:
        name = f"{atlas.label(f.target)} ({f.side})"
        if f.kind == "ncs":
            segment = _segment_words(atlas, f.target)
            if f.status == "abnormal":
                what = "a conduction block" if f.grade == "block" else "focal slowing"
                lines.append(
                    f"{name} {f.grade}: {what} is the localizing finding - a demyelinating "
                    f"lesion in the segment studied: {segment}."
                )
            else:
                lines.append(
                    f"{name} normal: no block or focal slowing across {segment}; an axonal "
                    "lesion there is still possible."
                )
        elif f.kind == "snap":
            nerve = atlas.studies[f.target].nerve
            zones = [  # zones this nerve supplies as a main nerve, not as a minor contributor
                z
                for z, side in numb
                if side == f.side and atlas.zones[z].nerves.get(nerve) == "major"
            ]
            lines.append(_snap(atlas, f, name, zones, days, blocks.get(f.side), diffuse))
        elif f.kind == "emg" and all(atlas.muscles[m].emg_only for m in atlas.members(f.target)):
            if f.status == "abnormal":
                lines.append(
                    f"{name} {f.grade}: the posterior rami leave the root before the plexus, "
                    "so paraspinal denervation places the lesion at the root."
                )
            else:
                lines.append(
                    f"{name} normal: weighs only lightly against a root lesion, because "
                    "paraspinals are often spared in radiculopathy."
                )
        elif f.kind in ("emg", "cmap") and f.status == "abnormal":
            axon_loss.setdefault(f.side, []).append(atlas.label(f.target))
    for side, names in sorted(axon_loss.items()):
        lines.append(
            f"Motor axon loss ({side}) in {', '.join(names)}: read like weakness of "
            f"{'that muscle' if len(names) == 1 else 'those muscles'}, but more sensitive."
        )
    return lines


def _snap(
    atlas: Atlas,
    f: Finding,
    name: str,
    zones: list[str],
    days: int | None,
    block: Finding | None,
    diffuse: list[str],
) -> str:
    if f.status == "normal" and zones:
        skin = ", ".join(atlas.label(z).lower() for z in zones)
        head = f"{name} normal despite abnormal sensation ({skin})"
        if block is not None:
            return (
                f"{head}: explained by the demyelinating lesion the "
                f"{atlas.label(block.target)} shows - the axons beyond it survive - so it does "
                "not point to the root here."
            )
        if days is not None and days < WALLERIAN_DAYS:
            return (
                f"{head}: only {days} day(s) after onset, too early to read - the axons beyond a "
                f"lesion keep conducting for about {WALLERIAN_DAYS} days, so repeat the study "
                "before placing the lesion at the root."
            )
        return (
            f"{head}: the sensory axons are intact beyond the dorsal root ganglion, so the "
            "lesion lies proximal to it - at the root."
        )
    if f.status == "normal":
        return (
            f"{name} normal: no axon loss in its fibres beyond the dorsal root ganglion; a plexus "
            "or nerve lesion on its path is less likely."
        )
    reaching = [atlas.sites[s].syndrome for s in diffuse if atlas.coverage(f.target).get(s)]
    also = (
        f"; a {' or a '.join(reaching)}, also among the candidates, loses the same axons"
        if reaching
        else ""
    )
    return (
        f"{name} {f.grade}: sensory axons are lost distal to the dorsal root ganglion, so the "
        "lesion is in the plexus or the nerve, not the root (a foraminal ganglion is the rare "
        f"exception){also}."
    )
