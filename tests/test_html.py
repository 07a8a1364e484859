"""The HTML report (``--format html``): one self-contained page with an SVG pathway diagram.

Structural checks that need no browser: one ``<svg>``, well-formed XML, every abnormal finding
shown, the rank-1 lesion marked, no external URL, the disclaimer last, urgent flags first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path

import pytest

import neuroloc
from neuroloc.anatomy import load_atlas
from neuroloc.anatomy.model import ROOT_NAMES
from neuroloc.labels import finding_label
from neuroloc.report.html import render_html
from neuroloc.report.pathway import SVG_NS, boxes_for, layout, pathway_svg

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = ["fibular-head-foot-drop", "l5-radiculopathy", "cauda-equina-syndrome"]


@pytest.fixture(scope="module")
def pages() -> dict[str, tuple[object, str]]:
    out = {}
    for name in CASES:
        result = neuroloc.localize(EXAMPLES / f"{name}.yaml")
        out[name] = (result, render_html(result))
    return out


def _svgs(page: str) -> list[ET.Element]:
    found = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert found, "no <svg> element"
    return [ET.fromstring(svg) for svg in found]


def _svg(page: str) -> ET.Element:
    return _svgs(page)[0]


@pytest.mark.parametrize("name", CASES)
def test_every_panel_is_an_svg_that_parses_as_xml(pages, name):
    result, page = pages[name]
    svgs = _svgs(page)
    assert page.count("<svg") == page.count("</svg>") == len(svgs)
    panels = [s for s in svgs if s.get("class") == "pathway"]
    legends = [s for s in svgs if s.get("class") == "pathway-legend"]
    assert len(legends) == 1
    assert len(panels) >= min(len(result.candidates), 2)
    for root in svgs:
        assert root.tag == f"{{{SVG_NS}}}svg"
        assert root.get("viewBox")


@pytest.mark.parametrize("name", CASES)
def test_every_abnormal_finding_is_shown(pages, name):
    result, page = pages[name]
    abnormal = [f for f in result.findings if f.status == "abnormal"]
    assert abnormal
    for f in abnormal:
        assert escape(finding_label(load_atlas(), f.id)) in page, f.id


@pytest.mark.parametrize("name", CASES)
def test_rank_one_lesion_is_marked_in_the_diagram(pages, name):
    result, page = pages[name]
    # one panel per limb and side: the lesion is marked in the panels where it lies
    firsts = [
        g for root in _svgs(page) if (g := root.find(f"{{{SVG_NS}}}g[@data-rank='1']")) is not None
    ]
    assert firsts
    marked = {
        g.get("data-node")
        for first in firsts
        for g in first.iter(f"{{{SVG_NS}}}g")
        if "lesion" in (g.get("class") or "").split()
    }
    assert marked == {lesion.id for lesion in result.best.lesions}


@pytest.mark.parametrize("name", CASES)
def test_no_external_url_and_no_script(pages, name):
    _result, page = pages[name]
    urls = re.findall(r"https?://[^\s\"'<>)]*", page)
    assert set(urls) <= {SVG_NS}, urls
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "@import" not in page and "url(" not in page


@pytest.mark.parametrize("name", CASES)
def test_disclaimer_closes_the_page(pages, name):
    result, page = pages[name]
    assert escape(result.disclaimer) in page
    assert page.rfind(escape(result.disclaimer)) > page.rfind("</table>")


def test_urgent_flag_precedes_the_diagram(pages):
    result, page = pages["cauda-equina-syndrome"]
    urgent = [flag for flag in result.red_flags if flag.urgent]
    assert urgent
    position = page.find('class="urgent"')
    assert position != -1
    assert position < page.find("<svg")
    assert escape(urgent[0].label) in page[position : page.find("<svg")]


def test_observed_and_predicted_are_drawn_per_target(pages):
    """Foot drop at the fibular head: the weak muscles are filled abnormal and outlined solid,
    the normal tibialis posterior is filled normal and outlined dashed (spared); for the L5
    root (#2) the same normal muscle is a mismatch."""
    _result, page = pages["fibular-head-foot-drop"]
    panels = {
        g.get("data-rank"): g
        for root in _svgs(page)
        for g in root.iter(f"{{{SVG_NS}}}g")
        if g.get("data-rank")
    }

    def target(panel: ET.Element, words: str) -> ET.Element:
        for g in panel.iter(f"{{{SVG_NS}}}g"):
            title = g.find(f"{{{SVG_NS}}}title")
            if "target" in (g.get("class") or "") and title.text.startswith(words):
                return g
        raise AssertionError(words)

    weak = target(panels["1"], "Tibialis anterior").find(f"{{{SVG_NS}}}rect")
    spared = target(panels["1"], "Tibialis posterior").find(f"{{{SVG_NS}}}rect")
    assert weak.get("stroke-dasharray") is None
    assert spared.get("stroke-dasharray") == "6 4"
    assert weak.get("fill") != spared.get("fill")
    assert target(panels["2"], "Tibialis posterior").find(f"{{{SVG_NS}}}g[@class='mismatch']")
    assert target(panels["1"], "Tibialis posterior").find(f"{{{SVG_NS}}}g") is None


def test_layout_is_deterministic_and_layered():
    atlas = load_atlas()
    result = neuroloc.localize(EXAMPLES / "l5-radiculopathy.yaml")
    assert pathway_svg(atlas, result) == pathway_svg(atlas, result)
    lay = layout(atlas, boxes_for(atlas, result))
    order = {"cauda-equina": 0, "root": 1, "plexus": 2, "nerve": 3}
    for a, b in lay.edges:
        assert lay.nodes[a][0] < lay.nodes[b][0], (a, b)  # every edge runs left to right
        if b in atlas.sites:
            assert order[atlas.sites[a].level] <= order[atlas.sites[b].level]
    roots = [n for _, n in sorted((lay.nodes[n][1], n) for n in lay.nodes if n.startswith("root:"))]
    assert "root:L5" in roots
    assert roots == sorted(roots, key=lambda n: ROOT_NAMES.index(n.removeprefix("root:")))


def test_text_is_escaped():
    result = neuroloc.localize(EXAMPLES / "fibular-head-foot-drop.yaml")
    from dataclasses import replace

    hostile = replace(result, title="<script>alert(1)</script> & co")
    page = render_html(hostile)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_no_candidates_still_renders():
    result = neuroloc.localize(
        {"side": "left", "findings": [{"muscle": "tibialis anterior", "grade": 5}]}
    )
    page = render_html(result)
    assert [s.get("class") for s in _svgs(page)] == ["pathway", "pathway-legend"]
    assert escape(result.disclaimer) in page


# ------------------------------------------------------------ a readable picture (issue 24)
def _panels_of(name: str):
    atlas = load_atlas()
    result = neuroloc.localize(EXAMPLES / f"{name}.yaml")
    from neuroloc.report.pathway import panel_groups

    return atlas, result, panel_groups(atlas, boxes_for(atlas, result))


def test_cervical_roots_leave_the_cervical_cord_and_lumbosacral_roots_the_cauda_equina():
    from neuroloc.report.pathway import CERVICAL_CORD, graph

    atlas, _result, groups = _panels_of("arm-bilateral-carpal-tunnel")
    boxes = [box for _, bs in groups for box in bs]
    _routes, _nodes, edges = graph(atlas, boxes)
    into_roots = {(a, b) for a, b in edges if b.startswith("root:")}
    cervical = {(a, b) for a, b in into_roots if b[len("root:")] in "CT"}
    lumbosacral = into_roots - cervical
    assert cervical and lumbosacral  # the case draws both an arm and a leg
    assert {a for a, _ in cervical} == {CERVICAL_CORD}
    assert {a for a, _ in lumbosacral} == {"cauda-equina"}


def test_two_limbs_and_two_sides_are_separate_panels_each_target_once():
    _atlas, _result, groups = _panels_of("arm-bilateral-carpal-tunnel")
    titles = [title for title, _ in groups]
    assert titles == ["left arm", "right arm", "left leg", "right leg"]
    keys = [box.key for _, boxes in groups for box in boxes]
    assert len(keys) == len(set(keys))
    for title, boxes in groups:
        assert {box.side for box in boxes} == {title.split()[0]}


def test_every_diagram_text_is_at_least_11_px_and_each_candidate_shows_its_probability(pages):
    from neuroloc.report.common import percent
    from neuroloc.report.pathway import MIN_FONT

    for name, (result, page) in pages.items():
        for root in _svgs(page):
            sizes = [float(t.get("font-size")) for t in root.iter(f"{{{SVG_NS}}}text")]
            assert sizes and min(sizes) >= MIN_FONT, name
        for c in result.candidates[:2]:
            assert f"#{c.rank} · {percent(c.probability)}" in page, (name, c.rank)


def test_layout_steps_each_do_their_part():
    from neuroloc.report.pathway import Layout, columns_of, graph, order_columns, place, waypoints

    atlas = load_atlas()
    result = neuroloc.localize(EXAMPLES / "l5-radiculopathy.yaml")
    boxes = boxes_for(atlas, result)
    routes, nodes, edges = graph(atlas, boxes)
    assert set(routes) == {box.key for box in boxes}
    assert {b for _, b in edges} >= {box.key for box in boxes}  # every box is reached
    columns, groups = columns_of(atlas, boxes, nodes, edges)
    assert groups[0] == "cauda-equina" and groups[-1] == "target"
    assert columns[-1] == [box.key for box in boxes]
    chained, ways = waypoints(columns, edges)
    col = {n: i for i, column in enumerate(columns) for n in column}
    assert all(col[b] == col[a] + 1 for a, b in chained)  # waypoints make every hop one column
    assert set(ways) == edges
    order_columns(columns, groups, chained, boxes)
    root_column = columns[groups.index("root")]
    assert root_column == sorted(root_column, key=lambda n: ROOT_NAMES.index(n[5:]))
    lay = Layout(list(boxes))
    place(lay, columns, groups)
    xs = [lay.nodes[column[0]][0] for column in columns]
    assert xs == sorted(xs) and lay.width > xs[-1]
