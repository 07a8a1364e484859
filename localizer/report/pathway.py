"""The pathway diagram: an inline SVG of the fibre routes to the examined targets.

Laid out deterministically from the graph, left to right in its known layers: the cauda
equina, the roots, the plexus elements, the nerve sites (each layer split into as many columns
as its longest chain needs) and the examined targets. Only the nodes on routes to the targets
shown are drawn; nerve trunks between sites are contracted (a site's label names its nerve).
Nodes within a column are ordered by a few barycentre sweeps (roots stay in anatomical order),
ties broken by id, so edges cross little and the same result always draws the same picture.

Each target box is *filled* by what was observed (abnormal, normal, not yet tested) and
*outlined* by what the candidate predicts (solid: affected; dotted: possibly affected; dashed:
spared), so a mismatch between a candidate and the examination is visible at a glance and is
also flagged with a "!" badge. The candidate's lesions are outlined in red with a cross, and
the routes below them drawn in red.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

from neuroloc.anatomy import Atlas, Strength
from neuroloc.anatomy.model import ROOT_NAMES
from neuroloc.report.common import lesions_text, percent
from neuroloc.result import Candidate, Localization

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"

GROUPS = ("cauda-equina", "root", "plexus", "nerve", "target")
GROUP_TITLES = {
    "cauda-equina": "spinal canal",
    "root": "roots",
    "plexus": "plexus",
    "nerve": "nerve sites",
    "target": "examined",
}
GROUP_WIDTH = {"cauda-equina": 84, "root": 40, "plexus": 98, "nerve": 98, "target": 196}
CHAR_W = 6.4  # approximate advance of an 11px sans-serif character
MIN_FONT = 11  # no text in the diagram is smaller (px, drawn at its natural size)
BOX_H = 34
PITCH = 48
WAY_PITCH = 12
GAP = 16
MARGIN = 16
HEADER = 44

FILL = {"abnormal": "#f4b6ae", "normal": "#bfe3c8", "untested": "#eef0f2"}
INK = "#1f2933"
MUTED = "#7b8794"
EDGE = "#b6bec8"
LESION = "#c62828"
WARN = "#d9480f"


@dataclass(frozen=True, slots=True)
class Box:
    """One examined (or still untested) target on one side."""

    key: str
    target: str  # atlas target, group or movement id
    side: str
    status: str  # abnormal | normal | untested
    label: str
    grade: str
    finding: str  # the finding or test id


@dataclass
class Layout:
    boxes: list[Box]
    nodes: dict[str, tuple[float, float, float]] = field(default_factory=dict)  # id -> x, y, w
    edges: list[tuple[str, str]] = field(default_factory=list)  # node -> node or box key
    routes: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # box -> node paths
    columns: list[tuple[str, float, float]] = field(default_factory=list)  # group, x, width
    ways: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # edge waypoints
    width: float = 0.0
    height: float = 0.0


def _target_of(atlas: Atlas, test: str) -> str | None:
    from neuroloc.labels import finding_target

    ident = finding_target(atlas, test)
    if ident in atlas.targets or ident in atlas.composites:
        return ident
    return None


def boxes_for(atlas: Atlas, result: Localization, untested: int = 3) -> list[Box]:
    """The examined targets (not upper-motor-neuron signs) and the first untested next tests."""
    out: list[Box] = []
    seen: set[tuple[str, str]] = set()
    for f in result.findings:
        if f.status not in ("abnormal", "normal"):
            continue
        target = _target_of(atlas, f.target) or _target_of(atlas, f.id)
        if target is None or (f.id, f.side) in seen:
            continue
        seen.add((f.id, f.side))
        out.append(Box(f"{f.id}|{f.side}", target, f.side, f.status, f.label, f.grade, f.id))
    added = 0
    for t in result.next_tests:
        if added >= untested:
            break
        target = _target_of(atlas, t.test)
        if target is None or (t.test, t.side) in seen:
            continue
        seen.add((t.test, t.side))
        out.append(Box(f"{t.test}|{t.side}", target, t.side, "untested", t.label, "", t.test))
        added += 1
    return out


def _members(atlas: Atlas, target: str) -> tuple[str, ...]:
    try:
        return atlas.members(target)
    except KeyError:
        return ()


# The spinal cord above the cauda equina: where the cervical and first thoracic roots leave.
# Not a lesion site of the atlas (the cord is beyond this peripheral model), drawn only as the
# origin of those roots; the lumbosacral roots leave from the conus through the cauda equina.
CERVICAL_CORD = "spine:cervical-cord"
SPINE_LABELS = {CERVICAL_CORD: "Cervical cord", "cauda-equina": "Conus / cauda equina"}
SPINE_ORDER = {CERVICAL_CORD: 0, "cauda-equina": 1}


def _group(atlas: Atlas, node: str) -> str:
    if node == CERVICAL_CORD:
        return "cauda-equina"  # the same column: the spinal canal
    return atlas.sites[node].level


def _is_cervical(node: str) -> bool:
    return node.startswith(("root:C", "root:T"))


def _anchored(path: tuple[str, ...]) -> tuple[str, ...]:
    """A route drawn from where its root leaves the spinal canal: a cervical (or T1) root from
    the cervical cord, a lumbosacral root from the conus and cauda equina."""
    first = path[0]
    if first == "cauda-equina" and len(path) > 1 and _is_cervical(path[1]):
        return (CERVICAL_CORD, *path[1:])
    if first.startswith("root:"):
        return ((CERVICAL_CORD if _is_cervical(first) else "cauda-equina"), *path)
    return path


def graph(
    atlas: Atlas, boxes: Sequence[Box]
) -> tuple[dict[str, list[tuple[str, ...]]], set[str], set[tuple[str, str]]]:
    """The routes to each box (node paths), the nodes on them and the edges between them
    (the last node of each route to its box)."""
    routes: dict[str, list[tuple[str, ...]]] = {}
    edges: set[tuple[str, str]] = set()
    nodes: set[str] = set()
    for box in boxes:
        paths: list[tuple[str, ...]] = []
        for member in _members(atlas, box.target):
            target = atlas.targets[member]
            if target.routes:
                for path, _share in target.routes:
                    kept = tuple(n for n in path if n in atlas.sites)
                    if kept:
                        paths.append(_anchored(kept))
            else:  # a conduction study: the sites in its segment (not a diffuse process)
                paths.extend(
                    (site,)
                    for site in atlas.coverage(member)
                    if site in atlas.sites and _group(atlas, site) in GROUPS[:-1]
                )
        paths = sorted(set(paths))
        routes[box.key] = paths
        for kept in paths:
            nodes.update(kept)
            edges.update(pairwise(kept))
            edges.add((kept[-1], box.key))
    return routes, nodes, edges


def _neighbours(edges: set[tuple[str, str]]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    preds: dict[str, set[str]] = {}
    succs: dict[str, set[str]] = {}
    for a, b in edges:
        preds.setdefault(b, set()).add(a)
        succs.setdefault(a, set()).add(b)
    return preds, succs


def columns_of(
    atlas: Atlas, boxes: Sequence[Box], nodes: set[str], edges: set[tuple[str, str]]
) -> tuple[list[list[str]], list[str]]:
    """The columns, left to right: each layer (spinal canal, roots, plexus, nerve sites) split
    into as many columns as its longest chain within the layer needs, then the boxes."""
    preds, _ = _neighbours(edges)
    depth: dict[str, int] = {}

    def depth_of(node: str) -> int:
        if node not in depth:
            same = [p for p in preds.get(node, ()) if _group(atlas, p) == _group(atlas, node)]
            depth[node] = 1 + max((depth_of(p) for p in same), default=-1)
        return depth[node]

    columns: list[list[str]] = []
    col_group: list[str] = []
    for group in GROUPS[:-1]:
        members = sorted(n for n in nodes if _group(atlas, n) == group)
        if not members:
            continue
        count = 1 + max(depth_of(n) for n in members)
        for d in range(count):
            columns.append([n for n in members if depth_of(n) == d])
            col_group.append(group)
    columns.append([box.key for box in boxes])
    col_group.append("target")
    return columns, col_group


def waypoints(
    columns: list[list[str]], edges: set[tuple[str, str]]
) -> tuple[set[tuple[str, str]], dict[tuple[str, str], tuple[str, ...]]]:
    """Long edges pass through their intermediate columns on waypoints ("~source~column"),
    one chain per source shared by all its long edges, so they never run behind a box. Adds
    the waypoints to ``columns``; returns the chained edges and each edge's waypoints."""
    col_of = {n: i for i, column in enumerate(columns) for n in column}
    chained: set[tuple[str, str]] = set()
    ways: dict[tuple[str, str], tuple[str, ...]] = {}
    for a, b in sorted(edges):
        previous = a
        way: list[str] = []
        for c in range(col_of[a] + 1, col_of[b]):
            waypoint = f"~{a}~{c}"
            if waypoint not in col_of:
                col_of[waypoint] = c
                columns[c].append(waypoint)
            chained.add((previous, waypoint))
            way.append(waypoint)
            previous = waypoint
        chained.add((previous, b))
        ways[(a, b)] = tuple(way)
    return chained, ways


def order_columns(
    columns: list[list[str]],
    col_group: Sequence[str],
    chained: set[tuple[str, str]],
    boxes: Sequence[Box],
) -> None:
    """Order each column in place: the spinal canal top to bottom, roots in anatomical order,
    the rest by a few barycentre sweeps (ties by id), so edges cross little."""
    preds, succs = _neighbours(chained)
    root_rank = {f"root:{r}": i for i, r in enumerate(ROOT_NAMES)}
    position: dict[str, float] = {}

    def settle(column: list[str]) -> None:
        n = len(column)
        for i, node in enumerate(column):
            position[node] = (i + 0.5) / n

    def bary(node: str, neighbours: dict[str, set[str]], fallback: float) -> float:
        around = [position[x] for x in neighbours.get(node, ()) if x in position]
        return round(sum(around) / len(around), 9) if around else fallback

    order = {box.key: i for i, box in enumerate(boxes)}
    fixed = ("root", "cauda-equina")
    for i, column in enumerate(columns):
        if col_group[i] == "root":
            column.sort(key=lambda n: (root_rank.get(n, 99), n))
        elif col_group[i] == "cauda-equina":
            column.sort(key=lambda n: (SPINE_ORDER.get(n, 9), n))
        elif col_group[i] == "target":
            column.sort(key=lambda n: (bary(n, preds, 0.5), order[n]))
        else:
            column.sort(key=lambda n: (bary(n, preds, 0.5), n))
        settle(column)
    for _sweep in range(3):
        for i in range(len(columns) - 2, -1, -1):  # right to left: follow what they feed
            if col_group[i] in fixed:
                continue
            old = {n: position[n] for n in columns[i]}
            columns[i].sort(key=lambda n: (bary(n, succs, old[n]), old[n], n))
            settle(columns[i])
        for i in range(1, len(columns)):  # left to right: follow what feeds them
            if col_group[i] in fixed:
                continue
            old = {n: position[n] for n in columns[i]}
            columns[i].sort(key=lambda n: (bary(n, preds, old[n]), old[n], n))
            settle(columns[i])


def place(lay: Layout, columns: list[list[str]], col_group: Sequence[str]) -> None:
    """Coordinates: columns left to right, each centred vertically, waypoints thin."""

    def slot(node: str) -> float:
        return WAY_PITCH if node.startswith("~") else PITCH

    body = max(sum(slot(n) for n in column) for column in columns)
    x = float(MARGIN)
    for column, group in zip(columns, col_group, strict=True):
        width = float(GROUP_WIDTH[group])
        y = HEADER + (body - sum(slot(n) for n in column)) / 2
        for node in column:
            centre = y + slot(node) / 2
            lay.nodes[node] = (x, centre - BOX_H / 2, width)
            y += slot(node)
        lay.columns.append((group, x, width))
        x += width + GAP
    lay.width = x - GAP + MARGIN + 14
    lay.height = HEADER + body + 8


def layout(atlas: Atlas, boxes: Sequence[Box]) -> Layout:
    """Place every node on a route to the boxes, and the boxes, deterministically: the graph,
    its columns, the waypoints of long edges, the order within columns, then coordinates."""
    lay = Layout(list(boxes))
    lay.routes, nodes, edges = graph(atlas, boxes)
    columns, col_group = columns_of(atlas, boxes, nodes, edges)
    chained, lay.ways = waypoints(columns, edges)
    order_columns(columns, col_group, chained, boxes)
    place(lay, columns, col_group)
    lay.edges = sorted(edges)
    return lay


def _wrap(text: str, chars: int, lines: int = 2) -> list[str]:
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if len(trial) <= chars or not current:
            current = trial
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(chars - 1, 1)].rstrip() + "…"
    return [line if len(line) <= chars else line[: chars - 1] + "…" for line in out]


def node_label(atlas: Atlas, node: str) -> str:
    """A short name for a diagram node: ``L5``, ``sacral plexus``, ``common fibular @ fibular
    head``."""
    if node in SPINE_LABELS:
        return SPINE_LABELS[node]
    if node.startswith("root:"):
        return node.removeprefix("root:")
    if node.startswith("nerve:") and "@" in node:
        nerve, _, where = node.removeprefix("nerve:").partition("@")
        return f"{nerve.replace('-', ' ')} @ {where.replace('-', ' ')}"
    return atlas.label(node)


def _text(x: float, y: float, lines: Sequence[str], size: float, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    if len(lines) == 1:
        return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{escape(lines[0])}</text>'
    first = y - (len(lines) - 1) * size * 0.55
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * size * 1.1:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text font-size="{size}"{extra}>{spans}</text>'


def _compatible(lesion_side: str, side: str) -> bool:
    return lesion_side == "both" or side == "both" or lesion_side == side


def predicted(atlas: Atlas, candidate: Candidate | None, box: Box) -> Strength:
    """How strongly the candidate's lesions reach a box (the engine's link when it has one)."""
    if candidate is None:
        return Strength.NONE
    for link in (*candidate.explains, *candidate.conflicts):
        if link.finding == box.finding and link.side == box.side:
            return Strength.parse(link.strength)
    best = Strength.NONE
    for lesion in candidate.lesions:
        if _compatible(lesion.side, box.side):
            try:
                best = max(best, atlas.strength(lesion.id, box.target))
            except KeyError:
                continue
    return Strength.POSSIBLE if best == Strength.ATYPICAL else best


def _mismatch(candidate: Candidate | None, box: Box, strength: Strength) -> bool:
    if candidate is None or box.status == "untested":
        return False
    if box.status == "abnormal":
        gone = {(u.finding, u.side) for u in candidate.unexplained}
        return strength == Strength.NONE or (box.finding, box.side) in gone
    return strength >= Strength.PARTIAL


def _outline(strength: Strength) -> str:
    if strength >= Strength.PARTIAL:
        return f'stroke="{INK}" stroke-width="2.6"'
    if strength >= Strength.POSSIBLE:
        return f'stroke="{INK}" stroke-width="1.6" stroke-dasharray="1.5 2.5"'
    return f'stroke="{MUTED}" stroke-width="1.3" stroke-dasharray="6 4"'


def _grade_text(box: Box, multi_side: bool) -> str:
    side = f" · {box.side}" if multi_side else ""
    if box.status == "untested":
        return f"not tested yet{side}"
    grade = box.grade
    if grade.isdigit():
        grade = f"MRC {grade}/5"
    return f"{grade}{side}"


def _cross(x: float, y: float) -> str:
    r = 7.5
    return (
        f'<g class="lesion-mark"><circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{LESION}"/>'
        f'<path d="M{x - 3.5:.1f},{y - 3.5:.1f} L{x + 3.5:.1f},{y + 3.5:.1f} '
        f'M{x + 3.5:.1f},{y - 3.5:.1f} L{x - 3.5:.1f},{y + 3.5:.1f}" '
        'stroke="#fff" stroke-width="2"/></g>'
    )


def _edge(lay: Layout, a: str, b: str, hot: bool) -> str:
    """A smooth path from a's right side to b's left side, level through its waypoints."""
    x1, y1, w1 = lay.nodes[a]
    points = [(x1 + w1, y1 + BOX_H / 2)]
    steps: list[str] = []
    for waypoint in (*lay.ways.get((a, b), ()), b):
        x, y, w = lay.nodes[waypoint]
        sx, sy = points[-1]
        ey = y + BOX_H / 2
        mid = (sx + x) / 2
        steps.append(f"C{mid:.1f},{sy:.1f} {mid:.1f},{ey:.1f} {x:.1f},{ey:.1f}")
        if waypoint != b:
            steps.append(f"L{x + w:.1f},{ey:.1f}")
        points.append((x + w, ey))
    colour, width = (LESION, 2.2) if hot else (EDGE, 1.1)
    start = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
    return (
        f'<path d="{start} {" ".join(steps)}" fill="none" stroke="{colour}" '
        f'stroke-width="{width}"/>'
    )


def candidate_caption(candidate: Candidate | None) -> str:
    if candidate is None:
        return "no candidate: observed findings only"
    return f"#{candidate.rank}  {lesions_text(candidate)}  ({percent(candidate.probability)})"


def _panel(atlas: Atlas, lay: Layout, candidate: Candidate | None, title: str = "") -> list[str]:
    out: list[str] = []
    sides = {box.side for box in lay.boxes}
    lesions = {  # the candidate's lesions on this panel's side (a site held on both sides twice)
        x.id: x
        for x in sorted(candidate.lesions if candidate else (), key=lambda x: x.side in sides)
        if any(_compatible(x.side, side) for side in sides)
    }
    head = (
        f"#{candidate.rank} · {percent(candidate.probability)}"
        if candidate
        else "observed findings"
    )
    head += f" · {title}" if title else ""
    out.append(_text(MARGIN, 18, [head], 14, font_weight="bold", fill=INK))
    for group, x, width in lay.columns:
        out.append(
            _text(
                x + width / 2, 37, [GROUP_TITLES[group]], MIN_FONT, fill=MUTED, text_anchor="middle"
            )
        )
    boxes = {box.key: box for box in lay.boxes}
    hot: set[tuple[str, str]] = set()
    for box in lay.boxes:
        for path in lay.routes.get(box.key, ()):
            for lesion_id, hit in lesions.items():
                if lesion_id in path and _compatible(hit.side, box.side):
                    chain = (*path[path.index(lesion_id) :], box.key)
                    hot.update(pairwise(chain))
    for hot_pass in (False, True):
        for a, b in lay.edges:
            if ((a, b) in hot) != hot_pass:
                continue
            out.append(_edge(lay, a, b, hot_pass))
    multi_side = len({box.side for box in lay.boxes}) > 1
    for node, (x, y, w) in lay.nodes.items():
        if node.startswith("~"):
            continue
        cx, cy = x + w / 2, y + BOX_H / 2
        if node in boxes:
            box = boxes[node]
            strength = predicted(atlas, candidate, box)
            label = box.label
            title = f"{label} ({box.side}): {box.status}"
            if box.grade:
                title += f", {box.grade}"
            title += f"; candidate predicts {strength.label if strength else 'spared'}"
            klass = f"target {box.status}"
            out.append(f'<g class="{escape(klass)}"><title>{escape(title)}</title>')
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BOX_H}" rx="4" '
                f'fill="{FILL[box.status]}" {_outline(strength)}/>'
            )
            chars = int((w - 10) / CHAR_W)
            line1 = _wrap(label, chars, 1)[0]
            out.append(_text(x + 6, y + 13, [line1], 11, fill=INK))
            style = {"font_style": "italic"} if box.status == "untested" else {}
            out.append(
                _text(x + 6, y + 28, [_grade_text(box, multi_side)], MIN_FONT, fill=INK, **style)
            )
            if _mismatch(candidate, box, strength):
                out.append(
                    f'<g class="mismatch"><circle cx="{x + w:.1f}" cy="{y:.1f}" r="7" '
                    f'fill="{WARN}"/>'
                    + _text(
                        x + w,
                        y + 3.5,
                        ["!"],
                        MIN_FONT,
                        fill="#fff",
                        font_weight="bold",
                        text_anchor="middle",
                    )
                    + "</g>"
                )
            out.append("</g>")
            continue
        label = node_label(atlas, node)
        lesion = lesions.get(node)
        title = SPINE_LABELS.get(node) or atlas.label(node)
        if lesion is not None:
            title = f"lesion of candidate #{candidate.rank if candidate else ''}: {title}"
            title += f" ({lesion.side})"
        stroke = (
            f'stroke="{LESION}" stroke-width="3.2"'
            if lesion
            else f'stroke="{MUTED}" stroke-width="1"'
        )
        fill = "#fde4e1" if lesion else "#ffffff"
        klass = "node lesion" if lesion else "node"
        out.append(f'<g class="{klass}" data-node="{escape(node)}"><title>{escape(title)}</title>')
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BOX_H}" rx="5" '
            f'fill="{fill}" {stroke}/>'
        )
        chars = max(int((w - 6) / (CHAR_W * 0.92)), 3)
        lines = _wrap(label, chars)
        out.append(_text(cx, cy + 3.5, lines, MIN_FONT, fill=INK, text_anchor="middle"))
        if lesion is not None:
            out.append(_cross(x + w, y))
            side = "both sides" if lesion.side == "both" else lesion.side
            out.append(
                _text(
                    cx,
                    y + BOX_H + 10,
                    [side],
                    MIN_FONT,
                    fill=LESION,
                    text_anchor="middle",
                    font_weight="bold",
                )
            )
        out.append("</g>")
    return out


def _legend(y: float, width: float) -> list[str]:
    out = [f'<g class="legend" transform="translate({MARGIN},{y:.1f})">']
    out.append(_text(0, 12, ["filled by what was observed:"], 11, fill=INK, font_weight="bold"))
    x = 190.0
    for status, words in (
        ("abnormal", "weak / abnormal"),
        ("normal", "normal"),
        ("untested", "not tested yet"),
    ):
        out.append(
            f'<rect x="{x:.1f}" y="1" width="26" height="15" rx="3" fill="{FILL[status]}" '
            f'stroke="{MUTED}" stroke-width="0.8"/>'
        )
        out.append(_text(x + 32, 12, [words], 11, fill=INK))
        x += 40 + len(words) * CHAR_W + 14
    out.append(
        _text(0, 36, ["outlined by what the candidate predicts:"], 11, fill=INK, font_weight="bold")
    )
    x = 270.0
    for strength, words in (
        (Strength.LIKELY, "affected"),
        (Strength.POSSIBLE, "possibly affected"),
        (Strength.NONE, "spared"),
    ):
        out.append(
            f'<rect x="{x:.1f}" y="25" width="26" height="15" rx="3" fill="#fff" '
            f"{_outline(strength)}/>"
        )
        out.append(_text(x + 32, 36, [words], 11, fill=INK))
        x += 40 + len(words) * CHAR_W + 14
    out.append(_cross(7.5, 56))
    out.append(
        _text(20, 60, ["lesion of the candidate (red outline; its routes in red)"], 11, fill=INK)
    )
    x = 390.0
    out.append(f'<circle cx="{x:.1f}" cy="56" r="7" fill="{WARN}"/>')
    out.append(
        _text(x, 59.5, ["!"], MIN_FONT, fill="#fff", font_weight="bold", text_anchor="middle")
    )
    out.append(
        _text(
            x + 13,
            60,
            ["mismatch: the observation contradicts the candidate's prediction"],
            11,
            fill=INK,
        )
    )
    out.append("</g>")
    return out


LEGEND_H = 76
LEGEND_W = 820


def _limb_of(atlas: Atlas, box: Box) -> str:
    try:
        return atlas.limb_of(box.target) or ""
    except KeyError:
        return ""


LIMB_WORDS = {"lower": "leg", "upper": "arm"}


def panel_groups(atlas: Atlas, boxes: Sequence[Box]) -> list[tuple[str, list[Box]]]:
    """The boxes split into one panel per limb and side (``left leg``, ``right arm``), in a
    fixed order, so two limbs or two sides never share one tangled drawing. A finding given
    for both sides at once, or with no limb, joins the panel of its limb or stands alone."""
    groups: dict[tuple[str, str], list[Box]] = {}
    for box in boxes:
        groups.setdefault((_limb_of(atlas, box), box.side), []).append(box)
    for limb, side in list(groups):
        limbed = [k for k in groups if k[1] == side and k[0]]
        if not limb and len(limbed) == 1:  # e.g. a study of no one limb: join its side's limb
            groups[limbed[0]].extend(groups.pop((limb, side)))
    order = {"left": 0, "right": 1, "both": 2}
    limbs = {"upper": 0, "lower": 1}
    keys = sorted(groups, key=lambda k: (limbs.get(k[0], 2), k[0], order.get(k[1], 3)))
    named = []
    for limb, side in keys:
        limb_word = LIMB_WORDS.get(limb, limb)
        side_word = "both sides" if side == "both" else side
        named.append((" ".join(w for w in (side_word, limb_word) if w), groups[(limb, side)]))
    return named


def panel_svg(
    atlas: Atlas, boxes: Sequence[Box], candidate: Candidate | None, title: str = ""
) -> str:
    """One ``<svg>`` panel: the routes to ``boxes`` for one candidate, drawn at its natural
    size (text never below :data:`MIN_FONT` px)."""
    lay = layout(atlas, boxes)
    rank = candidate.rank if candidate else 0
    body = [f'<g class="panel" data-rank="{rank}">', *_panel(atlas, lay, candidate, title), "</g>"]
    width = max(lay.width, 300.0)
    aria = f"Pathway diagram, {title or 'findings'}: {candidate_caption(candidate)}"
    return (
        f'<svg xmlns="{SVG_NS}" class="pathway" role="img" aria-label="{escape(aria)}" '
        f'viewBox="0 0 {width:.0f} {lay.height:.0f}" width="{width:.0f}" '
        f'height="{lay.height:.0f}" font-family="{FONT}">' + "".join(body) + "</svg>"
    )


def legend_svg() -> str:
    """The key to the diagram, drawn once under the panels."""
    return (
        f'<svg xmlns="{SVG_NS}" class="pathway-legend" role="img" aria-label="Key to the '
        f'pathway diagram" viewBox="0 0 {LEGEND_W} {LEGEND_H}" width="{LEGEND_W}" '
        f'height="{LEGEND_H}" font-family="{FONT}">' + "".join(_legend(0, LEGEND_W)) + "</svg>"
    )


def pathway_svg(atlas: Atlas, result: Localization, candidate_rank: int = 1) -> list[str]:
    """The panels of one candidate (or of the findings alone when there is none): one
    ``<svg>`` per limb and side."""
    candidate = {c.rank: c for c in result.candidates}.get(candidate_rank)
    groups = panel_groups(atlas, boxes_for(atlas, result))
    return [panel_svg(atlas, boxes, candidate, title) for title, boxes in groups]


def describe(atlas: Atlas, result: Localization) -> list[str]:
    """Plain-text notes on what the diagram leaves out (upper-motor-neuron signs, ...)."""
    notes: list[str] = []
    umn = [f for f in result.findings if f.status == "umn"]
    if umn:
        names = ", ".join(f"{f.label} ({f.side})" for f in umn)
        notes.append(f"Upper-motor-neuron signs are not on this pathway: {names}.")
    drawn = {box.finding for box in boxes_for(atlas, result)}
    missing = [
        f for f in result.findings if f.status in ("abnormal", "normal") and f.id not in drawn
    ]
    if missing:
        names = ", ".join(f"{f.label} ({f.side})" for f in missing)
        notes.append(f"Not drawn (no route in the atlas): {names}.")
    return notes
