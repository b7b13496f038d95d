"""Drawing an :class:`~claimledger.web.origins.OriginTree` as SVG, on the server.

Columns left to right: the pieces of evidence, the sources they were found in, the sources
those quote, and what those derive from, down to the origins. Each line of independent
support has its own colour (and number, for readers who do not tell colours apart): its
evidence, its edges and its origins carry it, so two independent lines look different at a
glance and two reports of one wire story visibly run into one origin. Evidence that does not
count is grey and dashed; contradicting evidence has a red border; discredited sources are
struck through. Every text is escaped; no script, no external resource.
"""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup, escape

from claimledger.web.origins import Node, OriginTree

#: Okabe–Ito colours: told apart by most colour-blind readers too.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F")
NEUTRAL = "#6b7280"
CONTRA = "#b91c1c"
BOX_W, BOX_H, COL_GAP, ROW_GAP, PAD = 236, 46, 64, 14, 16


def colour(group: int | None) -> str:
    return NEUTRAL if group is None else PALETTE[group % len(PALETTE)]


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(tree: OriginTree, *, title: str = "") -> Markup:
    """The tree as an ``<svg>`` element (safe to put in a page as it is)."""
    if not tree.nodes:
        return Markup('<p class="muted">No evidence recorded yet: nothing to draw.</p>')
    columns: dict[int, list[Node]] = {}
    for node in tree.nodes.values():
        columns.setdefault(node.layer, []).append(node)
    pos: dict[str, tuple[float, float]] = {}
    incoming: dict[str, list[str]] = {}
    for edge in tree.edges:
        incoming.setdefault(edge.end, []).append(edge.start)
    for layer in sorted(columns):
        nodes = columns[layer]
        if layer == 0:
            nodes.sort(key=lambda n: (n.group is None, n.group or 0, n.stance != "supports",
                                      n.label))
        else:  # near what points to them, so that edges cross little
            def centre(n: Node) -> float:
                ys = [pos[k][1] for k in incoming.get(n.key, []) if k in pos]
                return sum(ys) / len(ys) if ys else 0.0
            nodes.sort(key=lambda n: (centre(n), n.label))
        for i, node in enumerate(nodes):
            pos[node.key] = (PAD + layer * (BOX_W + COL_GAP), PAD + 22 + i * (BOX_H + ROW_GAP))
    width = PAD * 2 + (max(columns) + 1) * (BOX_W + COL_GAP) - COL_GAP
    height = PAD * 2 + 22 + max(len(c) for c in columns.values()) * (BOX_H + ROW_GAP)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="origin-tree" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'font-family="system-ui, sans-serif" font-size="12">',
           f"<title>{escape(title or 'Where the support comes from')}</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           f'fill="{NEUTRAL}"/></marker></defs>']
    heads = {0: "evidence", 1: "found in"}
    for layer in sorted(columns):
        x = PAD + layer * (BOX_W + COL_GAP)
        label = heads.get(layer, "quoting / derived from")
        out.append(f'<text x="{x}" y="{PAD + 8}" fill="{NEUTRAL}" font-size="11">'
                   f"{escape(label)}</text>")
    for edge in tree.edges:
        if edge.start not in pos or edge.end not in pos:
            continue
        x1, y1 = pos[edge.start]
        x2, y2 = pos[edge.end]
        x1, y1, y2 = x1 + BOX_W, y1 + BOX_H / 2, y2 + BOX_H / 2
        mid = (x1 + x2) / 2
        stroke = colour(edge.group) if edge.counts else NEUTRAL
        dash = "" if edge.counts else ' stroke-dasharray="5 4"'
        if edge.kind == "quoting":
            dash = ' stroke-dasharray="2 3"' if edge.counts else dash
        out.append(f'<path class="edge" data-kind="{escape(edge.kind)}" d="M{x1:.0f},{y1:.0f} '
                   f'C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2 - 2:.0f},{y2:.0f}" fill="none" '
                   f'stroke="{stroke}" stroke-width="2"{dash} marker-end="url(#arrow)">'
                   f"<title>{escape(edge.kind)}</title></path>")
    for key, node in tree.nodes.items():
        x, y = pos[key]
        out.append(_box(node, x, y))
    out.append("</svg>")
    return Markup("".join(out))


def _box(node: Node, x: float, y: float) -> str:
    stroke = colour(node.group)
    fill = "#ffffff"
    if node.kind == "source" and node.origin and node.group is not None:
        fill = stroke
    text_fill = "#ffffff" if fill != "#ffffff" else "#111827"
    dash = ""
    if not node.counts:
        stroke, dash = NEUTRAL, ' stroke-dasharray="5 4"'
    if node.stance == "contradicts":
        stroke = CONTRA
    classes = ["node", node.kind]
    if node.origin:
        classes.append("origin")
    if node.group is not None:
        classes.append(f"group-{node.group + 1}")
    badge = []
    if node.kind == "source" and node.origin:
        badge.append(f"origin {node.group + 1}" if node.group is not None else "origin")
    if node.grade:
        badge.append(node.grade)
    if node.anonymous:
        badge.append("anon.")
    if node.discredited:
        badge.append("discredited")
    title = f"{node.label} — {node.detail}" if node.detail else node.label
    parts = [f'<g class="{" ".join(classes)}" data-key="{escape(node.key)}">',
             f"<title>{escape(title)}</title>"]
    link = node.slug is not None
    if link:
        parts.append(f'<a href="/sources/{escape(quote(node.slug, safe=":/"))}">')
    parts.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                 f'fill="{fill}" stroke="{stroke}" stroke-width="2"{dash}/>')
    strike = ' text-decoration="line-through"' if node.discredited else ""
    room = max(10, 31 - len(" · ".join(badge)))
    parts.append(f'<text x="{x + 8:.0f}" y="{y + 18:.0f}" font-weight="600" fill="{text_fill}"'
                 f'{strike}>{escape(_cut(node.label, room))}</text>')
    if badge:
        parts.append(f'<text x="{x + BOX_W - 8:.0f}" y="{y + 18:.0f}" text-anchor="end" '
                     f'font-size="10" fill="{text_fill}">{escape(" · ".join(badge))}</text>')
    parts.append(f'<text x="{x + 8:.0f}" y="{y + 36:.0f}" font-size="11" fill="{text_fill}">'
                 f"{escape(_cut(node.detail, 38))}</text>")
    if link:
        parts.append("</a>")
    parts.append("</g>")
    return "".join(parts)
