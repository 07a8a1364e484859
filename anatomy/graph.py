"""The pathway graph: fibre routes from roots to targets, and coverage derived from them.

Every target (a muscle, reflex arc, sensory zone or SNAP) is reached by a set of *routes*, one
per (root, nerve) pair that carries its fibres: the cauda equina (if the root runs in it), the
root, the plexus elements the root passes, then the nerves and nerve sites down to the point
where the target's branch leaves. SNAP routes start below the dorsal root ganglion, so roots and
the cauda equina never lie on them; paraspinal routes leave the root through the posterior
rami, so no plexus or limb nerve lies on them. These two rules of electrodiagnosis are therefore
consequences of the graph, not special cases.

The *coverage strength* of a site for a target is derived, never typed by hand:

* ``certain``  every route passes the site (and no cap applies);
* ``likely``   some route it cuts has a major root and a major nerve share;
* ``possible`` it cuts only minor routes;

then capped by the level rules in ``coverage.yaml`` (roots and plexus at most ``likely``, the
cauda equina ``possible`` for its variable roots, ``likely`` for fascicles a site often spares,
``possible`` for a one-sided lesion of a midline target).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from neuroloc.anatomy.model import CaudaEquina, Nerve, Plexus, Share, Strength, Target

Route = tuple[tuple[str, ...], Share]


@dataclass(frozen=True, slots=True)
class Caps:
    """The strength caps of coverage.yaml."""

    by_level: Mapping[str, Strength]
    cauda_equina_usual: Strength
    cauda_equina_variable: Strength
    often_spared: Strength
    midline_unilateral: Strength
    # Finding kinds (SNAPs, CMAPs) whose normal result never excludes a lesion outright.
    distal_kinds: frozenset[str] = frozenset()

    def excludes(self, kind: str, strength: Strength) -> bool:
        """Whether a normal finding of ``kind`` rules out a lesion reaching its target with
        ``strength``: only a certain reach does, and never for a distal response (a SNAP or a
        CMAP), which a demyelinating or a days-old axonal lesion leaves normal."""
        return strength == Strength.CERTAIN and kind not in self.distal_kinds


class RouteBuilder:
    """Builds fibre routes from the nerve courses and plexus inputs."""

    def __init__(
        self,
        nerves: Mapping[str, Nerve],
        plexus: Mapping[str, Plexus],
        cauda_equina: CaudaEquina | None,
    ):
        self.nerves = nerves
        self.plexus = plexus
        self.cauda_equina = cauda_equina
        self._nerve_paths: dict[str, tuple[str, ...]] = {}

    def top_origin(self, nerve_id: str, root: str) -> str:
        """The plexus element a root's fibres in a nerve come through, or ``roots`` when the
        nerve leaves the roots before any plexus (posterior rami, long thoracic nerve)."""
        seen: set[str] = set()
        nerve = self.nerves[nerve_id]
        while nerve.origin.startswith("nerve:"):
            if nerve.origin in seen:
                raise ValueError(f"nerve origins form a cycle through {nerve.origin}")
            seen.add(nerve.origin)
            nerve = self.nerves[nerve.origin]
        return nerve.origin_for(root)

    def plexus_route(self, root: str, plexus_id: str) -> tuple[str, ...] | None:
        """The plexus elements a root's fibres pass to reach ``plexus_id``; None if it cannot."""
        element = self.plexus.get(plexus_id)
        if element is None or root not in element.inputs:
            return None
        via = element.inputs[root]
        if via == "direct":
            return (plexus_id,)
        before = self.plexus_route(root, via)
        return None if before is None else (*before, plexus_id)

    def sites_before(self, nerve: Nerve, branch_ref: str) -> tuple[str, ...]:
        """The sites of a nerve above where ``branch_ref`` leaves it (all sites if unlisted)."""
        sites: list[str] = []
        for step in nerve.course:
            if step.kind == "branch" and step.ref == branch_ref:
                break
            if step.kind == "site":
                sites.append(step.ref)
        return tuple(sites)

    def nerve_path(self, nerve_id: str) -> tuple[str, ...]:
        """Nerve-level nodes from the top of the nerve tree down to the start of ``nerve_id``."""
        cached = self._nerve_paths.get(nerve_id)
        if cached is not None:
            return cached
        nerve = self.nerves[nerve_id]
        if nerve.origin.startswith("nerve:"):
            parent = self.nerves[nerve.origin]
            path = (*self.nerve_path(parent.id), *self.sites_before(parent, nerve_id), nerve_id)
        else:
            path = (nerve_id,)
        self._nerve_paths[nerve_id] = path
        return path

    def routes(
        self,
        target_id: str,
        nerves: Mapping[str, Share],
        roots: Mapping[str, Share],
        *,
        postganglionic: bool,
    ) -> tuple[tuple[Route, ...], tuple[str, ...]]:
        """Every route to a target, and the roots that no listed nerve can bring to it."""
        routes: list[Route] = []
        unreachable: list[str] = []
        for root, root_share in roots.items():
            found = False
            for nerve_id, nerve_share in sorted(nerves.items()):
                nerve = self.nerves.get(nerve_id)
                if nerve is None or root not in nerve.roots:
                    continue
                origin = self.top_origin(nerve_id, root)
                if origin == "roots":
                    plexus_part: tuple[str, ...] = ()
                else:
                    maybe = self.plexus_route(root, origin)
                    if maybe is None:
                        continue
                    plexus_part = maybe
                prefix: tuple[str, ...] = ()
                if not postganglionic:
                    in_canal = self.cauda_equina is not None and root in self.cauda_equina.roots
                    prefix = (*(("cauda-equina",) if in_canal else ()), f"root:{root}")
                path = (
                    *prefix,
                    *plexus_part,
                    *self.nerve_path(nerve_id),
                    *self.sites_before(nerve, target_id),
                )
                share: Share = "major" if root_share == nerve_share == "major" else "minor"
                routes.append((path, share))
                found = True
            if not found:
                unreachable.append(root)
        return tuple(routes), tuple(unreachable)


def _route_root(path: tuple[str, ...]) -> str | None:
    for node in path:
        if node.startswith("root:"):
            return node.removeprefix("root:")
    return None


def coverage_strength(
    node: str,
    level: str,
    target: Target,
    caps: Caps,
    *,
    cauda_equina: CaudaEquina | None,
    often_spares: Iterable[str] = (),
    bilateral: bool = False,
    less_sensitive: bool = False,
) -> Strength:
    """How strongly a lesion at ``node`` (a site or any structure) reaches ``target``.

    A major share is ``partial`` rather than ``likely`` when ``less_sensitive``: a muscle of
    a root other than those the root's lesions show first (roots.yaml ``most_sensitive``)."""
    cut = [(path, share) for path, share in target.routes if node in path]
    if not cut:
        return Strength.NONE
    level_cap = caps.by_level.get(level, Strength.CERTAIN)
    spared = set(often_spares)
    capped: list[tuple[Share, Strength]] = []
    for path, share in cut:
        cap = level_cap
        if node == "cauda-equina" and cauda_equina is not None:
            root = _route_root(path)
            if root in cauda_equina.variable:
                cap = min(cap, caps.cauda_equina_variable)
            elif root in cauda_equina.usually:
                cap = min(cap, caps.cauda_equina_usual)
        if spared and spared.intersection((*path[path.index(node) + 1 :], target.id)):
            cap = min(cap, caps.often_spared)
        capped.append((share, cap))
    every_route_cut = len(cut) == len(target.routes)
    major = Strength.PARTIAL if less_sensitive else Strength.LIKELY
    if every_route_cut and all(cap == Strength.CERTAIN for _, cap in capped):
        strength = Strength.CERTAIN
    else:
        strength = max(
            min(major if share == "major" else Strength.POSSIBLE, cap) for share, cap in capped
        )
    if target.midline and not bilateral:
        strength = min(strength, caps.midline_unilateral)
    return strength
