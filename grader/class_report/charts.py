"""The report's charts: matplotlib draws them on the server as SVG, inlined in the page
(nothing to fetch when it is viewed, no script to run).

    svg = histogram_svg([3, 1, 0, 2, 5, 9], key="ex3")

Each bar is an SVG group whose id is `bar-<key>-<bin>` (the browser test counts them).
Text in the SVG is kept as text (`svg.fonttype: none`), so the browser's fonts draw it;
the labels are bin names and counts only: titles are in the HTML, in the report's language.
Byte-identical for the same counts: no date, a fixed id salt.
"""

from __future__ import annotations

import io

from grader.class_report.gather import BINS

COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#9acd32", "#27ae60", "#1e8449")


def histogram_svg(counts: list[int], key: str, width_in: float = 4.2, height_in: float = 2.2) -> str:
    """A bar per score bin (see gather.BINS), the count above each bar."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    settings = {"svg.fonttype": "none", "svg.hashsalt": f"class-report-{key}", "font.size": 8,
                "axes.spines.top": False, "axes.spines.right": False}
    with rc_context(settings):
        fig = Figure(figsize=(width_in, height_in))
        ax = fig.subplots()
        labels = [b.en for b in BINS]
        bars = ax.bar(range(len(counts)), counts, color=COLOURS[: len(counts)], edgecolor="#333333", linewidth=0.5)
        for i, (bar, n) in enumerate(zip(bars, counts)):
            bar.set_gid(f"bar-{key}-{i}")
            ax.annotate(str(n), (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom",
                        xytext=(0, 1), textcoords="offset points")
        ax.set_xticks(range(len(counts)), labels)
        ax.set_ylim(0, max(1, max(counts, default=0)) * 1.2)
        ax.yaxis.get_major_locator().set_params(integer=True)
        fig.tight_layout(pad=0.4)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]  # inline: no XML declaration or doctype
