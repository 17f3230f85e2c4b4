from __future__ import annotations

import io

import matplotlib

matplotlib.use("agg")  # tests only; chapters must not call this (figures would not show)

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from kgkz.render import style  # noqa: E402


def _draw():
    style.use()
    fig, ax = style.figure()
    ax.plot([1, 2, 3], [3, 1, 2], marker=style.MARKERS[0])
    style.label(ax, "A finding", "x", "y")
    return fig


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_same_figure_same_bytes(fmt):
    outs = []
    for _ in range(2):
        fig = _draw()
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt)
        plt.close(fig)
        outs.append(buf.getvalue())
    assert outs[0] == outs[1]


def test_labels_are_required():
    fig, ax = style.figure()
    with pytest.raises(ValueError, match="xlabel"):
        style.label(ax, "Title", "", "y")
    plt.close(fig)


def test_is_labelled():
    fig = _draw()
    assert style.is_labelled(fig)
    fig.axes[0].set_ylabel("")
    assert not style.is_labelled(fig)
    plt.close(fig)


def test_palette_is_distinct_in_greyscale():
    from matplotlib.colors import to_rgb

    def grey(c):
        r, g, b = to_rgb(c)
        return 0.299 * r + 0.587 * g + 0.114 * b

    greys = sorted(grey(c) for c in style.PALETTE[:5])
    assert min(b - a for a, b in zip(greys, greys[1:], strict=False)) > 0.05
