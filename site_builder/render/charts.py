"""Charts drawn at build time as inline SVG: no JavaScript, nothing fetched, readable without colour.

Every chart is a ``<figure>`` holding

* an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (its text alternative, named by ``aria-labelledby``),
  a ``viewBox`` and no fixed size, so it shrinks to a phone's width (the stylesheet caps it on wide screens);
* labels written next to every bar, and a pattern as well as a colour for every series, so nothing depends on
  telling colours apart (WCAG 1.4.1); every colour has at least 3:1 contrast with the white page (WCAG 1.4.11);
* the table of the numbers behind it.

Text from records is escaped (``markupsafe``) before it goes into the SVG.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 400  # viewBox units; text at 14 units stays about 12 px on a 360 px-wide phone
FONT = 14
LABEL_GAP = 4
BAR = 16
ROW_GAP = 12
CHAR = 0.6 * FONT  # a generous average character width, to keep room for labels written beside bars
TEXT = "#0b0c0c"
MUTED = "#505a5f"


@dataclass(frozen=True)
class Series:
    """One kind of bar: its name (shown in the legend and the table), colour and pattern."""

    key: str
    label: str
    colour: str
    pattern: str = "solid"  # solid | stripes | dots | crosshatch | lines | outline


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[float, ...]  # one per series
    value_labels: tuple[str, ...] = ()  # how each value is written (defaults to the number)
    marker: float | None = None  # progress charts: a tick at this percentage (e.g. "due by now")
    href: str | None = None


# colour + pattern for each social-value status (the labels live in site_builder.social_value)
STATUS_STYLE = {
    "delivered": ("#00703c", "solid"),
    "on-track": ("#1d70b8", "stripes"),
    "behind": ("#a64800", "dots"),
    "overdue": ("#b10e1e", "crosshatch"),
    "not-yet-due": ("#505a5f", "lines"),
    "reported": ("#4c2c92", "solid"),
    "withdrawn": ("#505a5f", "outline"),
}


def status_series(labels: dict[str, str], statuses: Sequence[str]) -> list[Series]:
    return [Series(s, labels[s], *STATUS_STYLE[s]) for s in statuses]


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _pattern_defs(prefix: str, series: Sequence[Series]) -> str:
    parts = []
    for s in series:
        pid = f"{prefix}-{s.key}"
        c = s.colour
        if s.pattern == "stripes":
            body = (f'<rect width="8" height="8" fill="{c}"/>'
                    f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" stroke-width="1.6"/>')
        elif s.pattern == "dots":
            body = f'<rect width="6" height="6" fill="{c}"/><circle cx="3" cy="3" r="1.3" fill="#ffffff"/>'
        elif s.pattern == "crosshatch":
            body = (f'<rect width="8" height="8" fill="{c}"/>'
                    f'<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#ffffff" stroke-width="1.2"/>')
        elif s.pattern == "lines":
            body = f'<rect width="6" height="6" fill="{c}"/><path d="M0,3 h6" stroke="#ffffff" stroke-width="1.4"/>'
        else:
            continue
        size = 8 if s.pattern in ("stripes", "crosshatch") else 6
        parts.append(f'<pattern id="{pid}" width="{size}" height="{size}" patternUnits="userSpaceOnUse">{body}</pattern>')
    return f"<defs>{''.join(parts)}</defs>" if parts else ""


def _fill(prefix: str, s: Series) -> str:
    if s.pattern == "outline":
        return f'fill="#ffffff" stroke="{s.colour}" stroke-width="1.5" stroke-dasharray="4 2"'
    if s.pattern == "solid":
        return f'fill="{s.colour}"'
    return f'fill="url(#{prefix}-{s.key})" stroke="{s.colour}" stroke-width="1"'


def _swatch(prefix: str, s: Series) -> str:
    return (f'<svg class="procure-swatch" viewBox="0 0 16 12" width="16" height="12" aria-hidden="true" '
            f'focusable="false">{_pattern_defs(prefix + "-sw", [s])}'
            f'<rect x="0.75" y="0.75" width="14.5" height="10.5" {_fill(prefix + "-sw", s)}/></svg>')


def _legend(prefix: str, series: Sequence[Series]) -> str:
    items = "".join(f"<li>{_swatch(prefix, s)} {escape(s.label)}</li>" for s in series)
    return f'<ul class="procure-legend">{items}</ul>'


def _svg(prefix: str, title: str, desc: str, height: float, body: str, defs: str = "") -> str:
    return (f'<svg class="procure-chart__svg" viewBox="0 0 {WIDTH} {_num(height)}" role="img" '
            f'aria-labelledby="{prefix}-title {prefix}-desc" preserveAspectRatio="xMinYMin meet" '
            f'font-family="inherit" font-size="{FONT}">'
            f'<title id="{prefix}-title">{escape(title)}</title><desc id="{prefix}-desc">{escape(desc)}</desc>'
            f"{defs}{body}</svg>")


def _row_header(label: str, href: str | None) -> str:
    return f'<a href="{escape(href)}">{escape(label)}</a>' if href else str(escape(label))


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]],
           hrefs: Sequence[str | None] = ()) -> str:
    th = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    links = list(hrefs) + [None] * (len(rows) - len(hrefs))
    trs = "".join(
        "<tr>" + f'<th scope="row">{_row_header(r[0], href)}</th>' + "".join(f"<td>{escape(c)}</td>" for c in r[1:])
        + "</tr>" for r, href in zip(rows, links, strict=True))
    return (f'<details class="procure-chart__data"><summary>Show the numbers behind this chart</summary>'
            f"<table><caption>{escape(caption)}</caption><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"
            f"</details>")


def _figure(prefix: str, title: str, svg: str, legend: str, table: str) -> Markup:
    return Markup(f'<figure class="procure-chart" id="{prefix}"><figcaption>{escape(title)}</figcaption>'
                  f"{legend}{svg}{table}</figure>")


LINE_CHARS = int(WIDTH / CHAR)  # characters of a label that fit on one line of the drawing
LABEL_LINES = 2


def _label_lines(text: str) -> list[str]:
    """A label wrapped at spaces onto at most two lines that fit the drawing (issue 14: labels were cut off at
    one line); only what does not fit on two lines is shortened (the table beside the chart has it in full)."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < LABEL_LINES:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= LINE_CHARS:
            line += " " + words.pop(0)
        lines.append(line)
    if words or (lines and len(lines[-1]) > LINE_CHARS):
        rest = " ".join([lines.pop(), *words]) if lines else " ".join(words)
        lines.append(_clip(rest, LINE_CHARS))
    return lines or [""]


def _extra_label_height(text: str) -> float:
    return (len(_label_lines(text)) - 1) * (FONT + 2)


def _label(y: float, text: str, href: str | None) -> str:
    # no links inside the drawing: an image must not hold focusable parts (axe nested-interactive); the table
    # of numbers beside it carries the links instead
    tspans = "".join(f'<tspan x="0" dy="{0 if i == 0 else FONT + 2}">{escape(line)}</tspan>'
                     for i, line in enumerate(_label_lines(text)))
    return f'<text x="0" y="{_num(y)}" fill="{TEXT}">{tspans}</text>'


def _clip(text: str, limit: int = 58) -> str:
    """Long labels are shortened in the drawing (the table beside it has them in full)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def grouped_bars(prefix: str, title: str, rows: Sequence[Row], series: Sequence[Series],
                 fmt: Callable[[float], str], table_head: Sequence[str] | None = None) -> Markup:
    """Horizontal bars, one per series for each row, on one scale (e.g. £ promised and £ delivered per theme)."""
    top = max((v for r in rows for v in r.values), default=0) or 1

    def written(r: Row, i: int) -> str:
        return f"{r.value_labels[i] if r.value_labels else fmt(r.values[i])} {series[i].label.lower()}"

    room = max((len(written(r, i)) for r in rows for i in range(len(series))), default=0) * CHAR + 8
    scale = max(WIDTH - room, WIDTH / 3) / top
    y = 0.0
    body: list[str] = []
    for r in rows:
        y += FONT + 2
        body.append(_label(y, r.label, r.href))
        y += _extra_label_height(r.label)
        y += LABEL_GAP
        for i, s in enumerate(series):
            v = r.values[i]
            w = max(v * scale, 1.5 if v else 0)
            body.append(f'<rect x="0" y="{_num(y)}" width="{_num(w)}" height="{BAR}" {_fill(prefix, s)}/>')
            body.append(f'<text x="{_num(w + 4)}" y="{_num(y + BAR - 4)}" fill="{TEXT}">{escape(written(r, i))}</text>')
            y += BAR + 3
        y += ROW_GAP
    desc = "; ".join(f"{r.label}: " + ", ".join(written(r, i) for i in range(len(series))) for r in rows)
    table = _table(title, table_head or ["", *(s.label for s in series)],
                   [[r.label, *((r.value_labels[i] if r.value_labels else fmt(r.values[i])) for i in range(len(series)))]
                    for r in rows], [r.href for r in rows])
    return _figure(prefix, title, _svg(prefix, title, desc, y, "".join(body), _pattern_defs(prefix, series)),
                   _legend(prefix, series), table)


def stacked_bars(prefix: str, title: str, rows: Sequence[Row], series: Sequence[Series],
                 unit_word: str = "commitments") -> Markup:
    """One bar per row, split into its series (e.g. commitments by status); each row's total written beside it."""
    top = max((sum(r.values) for r in rows), default=0) or 1
    scale = (WIDTH - 48) / top
    y = 0.0
    body: list[str] = []
    for r in rows:
        y += FONT + 2
        body.append(_label(y, r.label, r.href))
        y += _extra_label_height(r.label)
        y += LABEL_GAP
        x = 0.0
        for i, s in enumerate(series):
            w = r.values[i] * scale
            if w <= 0:
                continue
            body.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{BAR + 4}" {_fill(prefix, s)}>'
                        f"<title>{escape(s.label)}: {_num(r.values[i])}</title></rect>")
            x += w
        body.append(f'<text x="{_num(x + 4)}" y="{_num(y + BAR)}" fill="{TEXT}">{_num(sum(r.values))}</text>')
        y += BAR + 4 + ROW_GAP
    present = [i for i, _ in enumerate(series) if any(r.values[i] for r in rows)]
    desc = "; ".join(f"{r.label}: " + ", ".join(f"{_num(r.values[i])} {series[i].label.lower()}" for i in present
                                                if r.values[i]) for r in rows)
    table = _table(title, ["", *(series[i].label for i in present), f"All {unit_word}"],
                   [[r.label, *(_num(r.values[i]) for i in present), _num(sum(r.values))] for r in rows],
                   [r.href for r in rows])
    shown = [series[i] for i in present]
    return _figure(prefix, title, _svg(prefix, title, desc, y, "".join(body), _pattern_defs(prefix, shown)),
                   _legend(prefix, shown), table)


def progress_bars(prefix: str, title: str, rows: Sequence[Row], bar: Series, marker_label: str | None = None,
                  table_head: Sequence[str] = ("", "Per cent")) -> Markup:
    """Percentages against a 0–100% track (over 100% is drawn full and written out), with an optional tick."""
    def written(r: Row) -> str:
        return r.value_labels[0] if r.value_labels else f"{_num(r.values[0])}%"

    track = WIDTH - max(max((len(written(r)) for r in rows), default=4) * CHAR + 10, 48)
    y = 0.0
    body: list[str] = []
    for r in rows:
        y += FONT + 2
        body.append(_label(y, r.label, r.href))
        y += _extra_label_height(r.label)
        y += LABEL_GAP
        pct = r.values[0]
        w = track * min(max(pct, 0.0), 100.0) / 100
        body.append(f'<rect x="0" y="{_num(y)}" width="{_num(track)}" height="{BAR}" fill="#ffffff" stroke="{MUTED}" '
                    f'stroke-width="1"/>')
        if w > 0:
            body.append(f'<rect x="0" y="{_num(y)}" width="{_num(w)}" height="{BAR}" {_fill(prefix, bar)}/>')
        if r.marker is not None:
            mx = track * min(max(r.marker, 0.0), 100.0) / 100
            body.append(f'<path d="M{_num(mx)},{_num(y - 3)} v{BAR + 6}" stroke="{TEXT}" stroke-width="2.5"/>')
        body.append(f'<text x="{_num(track + 6)}" y="{_num(y + BAR - 3)}" fill="{TEXT}">{escape(written(r))}</text>')
        y += BAR + ROW_GAP
    desc = "; ".join(f"{r.label}: {written(r)}" + (f" ({marker_label} {_num(r.marker)}%)"
                                                    if r.marker is not None and marker_label else "") for r in rows)
    has_marker = marker_label is not None and any(r.marker is not None for r in rows)
    head = [*table_head, *([marker_label.capitalize()] if has_marker and marker_label else [])]
    table = _table(title, head, [[r.label, written(r), *([f"{_num(r.marker)}%" if r.marker is not None else "–"]
                                                          if has_marker else [])] for r in rows],
                   [r.href for r in rows])
    legend_items = [bar]
    legend = _legend(prefix, legend_items)
    if has_marker and marker_label:
        legend = legend.replace("</ul>", '<li><svg class="procure-swatch" viewBox="0 0 16 12" width="16" height="12" '
                                'aria-hidden="true" focusable="false"><path d="M8,0 v12" stroke="#0b0c0c" '
                                f'stroke-width="2.5"/></svg> {escape(marker_label.capitalize())}</li></ul>')
    return _figure(prefix, title, _svg(prefix, title, desc, y, "".join(body), _pattern_defs(prefix, [bar])),
                   legend, table)
