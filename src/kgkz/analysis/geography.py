"""Plane geometry of country outlines (``kgkz.data.boundaries``) for a locator map: which
part of one outline another shares, how long it is, which side of a country it lies on,
and outlines cut down to a map's window. Lengths are in degrees of latitude, with
longitudes shrunk by the cosine of a reference latitude (a local equirectangular plane):
enough to compare parts of one country's outline, not to survey."""

from __future__ import annotations

import numpy as np

from ..data.boundaries import Outline

COMPASS = ("east", "north", "west", "south")


def _plane(points: np.ndarray, lat0: float) -> np.ndarray:
    return points * [np.cos(np.radians(lat0)), 1.0]


def reference_latitude(outline: Outline) -> float:
    west, south, east, north = outline.bounds
    return (south + north) / 2


def shared_mask(a: np.ndarray, b: Outline, tol: float, lat0: float) -> np.ndarray:
    """For each vertex of polygon ``a``: does it lie within ``tol`` degrees of a vertex of
    ``b``'s outline? (DCW draws a border once and gives both countries its vertices.)"""
    other = np.vstack(b.polygons)
    lo, hi = a.min(axis=0) - 2 * tol, a.max(axis=0) + 2 * tol
    other = other[np.all((other >= lo) & (other <= hi), axis=1)]
    if len(other) == 0:
        return np.zeros(len(a), dtype=bool)
    pa, pb = _plane(a, lat0), _plane(other, lat0)
    out = np.empty(len(a), dtype=bool)
    for i in range(0, len(a), 256):
        d2 = ((pa[i : i + 256, None, :] - pb[None, :, :]) ** 2).sum(axis=-1)
        out[i : i + 256] = d2.min(axis=1) <= tol**2
    return out


def _edges(polygon: np.ndarray) -> np.ndarray:
    """Each polygon edge as its two end points (the ring closed)."""
    ring = np.vstack([polygon, polygon[:1]])
    return np.stack([ring[:-1], ring[1:]], axis=1)


def shared_lines(a: Outline, b: Outline, tol: float = 0.01) -> list[np.ndarray]:
    """The parts of ``a``'s outline that ``b`` shares, as polylines (lon, lat)."""
    lat0 = reference_latitude(a)
    lines = []
    for polygon, hole in zip(a.polygons, a.holes, strict=True):
        if hole:
            continue
        mask = shared_mask(polygon, b, tol, lat0)
        if not mask.any():
            continue
        if mask.all():
            lines.append(np.vstack([polygon, polygon[:1]]))
            continue
        # Start the walk at an unshared vertex, so that no run is cut at the ring's seam.
        shift = int(np.flatnonzero(~mask)[0])
        ring, ring_mask = np.roll(polygon, -shift, axis=0), np.roll(mask, -shift)
        run: list[np.ndarray] = []
        for point, shared in zip([*ring, ring[0]], [*ring_mask, ring_mask[0]], strict=True):
            if shared:
                run.append(point)
            else:
                if len(run) > 1:
                    lines.append(np.array(run))
                run = []
        if len(run) > 1:
            lines.append(np.array(run))
    return lines


def length(lines: list[np.ndarray], lat0: float) -> float:
    """The length of polylines, in degrees of latitude (see the module's note)."""
    total = 0.0
    for line in lines:
        steps = np.diff(_plane(line, lat0), axis=0)
        total += float(np.hypot(steps[:, 0], steps[:, 1]).sum())
    return total


def perimeter(outline: Outline) -> float:
    """The length of a country's whole outline (holes included), in degrees of latitude."""
    lat0 = reference_latitude(outline)
    return length([np.vstack([p, p[:1]]) for p in outline.polygons], lat0)


def area_centre(polygon: np.ndarray) -> tuple[np.ndarray, float]:
    """A polygon's centroid and its (unsigned) area, in plain lon/lat."""
    x, y = polygon[:, 0], polygon[:, 1]
    xn, yn = np.roll(x, -1), np.roll(y, -1)
    cross = x * yn - xn * y
    area = cross.sum() / 2
    if area == 0:
        return polygon.mean(axis=0), 0.0
    cx = ((x + xn) * cross).sum() / (6 * area)
    cy = ((y + yn) * cross).sum() / (6 * area)
    return np.array([cx, cy]), abs(float(area))


def centre(outline: Outline) -> np.ndarray:
    """The centroid of a country's largest polygon."""
    centres = [area_centre(p) for p in outline.polygons]
    return max(centres, key=lambda c: c[1])[0]


def midpoint(lines: list[np.ndarray], lat0: float) -> np.ndarray:
    """The middle of polylines, each edge weighted by its length (so that a stretch drawn
    with many vertices weighs no more than a straight one), in the local plane."""
    mids, weights = [], []
    for line in lines:
        plane = _plane(line, lat0)
        mids.append((plane[1:] + plane[:-1]) / 2)
        weights.append(np.hypot(*np.diff(plane, axis=0).T))
    return np.average(np.vstack(mids), axis=0, weights=np.concatenate(weights))


def side(outline: Outline, lines: list[np.ndarray]) -> str:
    """Which side of a country (east, north, west or south) a part of its outline lies
    on: the quarter of the compass from the country's centroid to that part's middle."""
    lat0 = reference_latitude(outline)
    dx, dy = midpoint(lines, lat0) - _plane(centre(outline), lat0)
    angle = np.degrees(np.arctan2(dy, dx)) % 360
    return COMPASS[int(((angle + 45) % 360) // 90)]


def clamp(polygon: np.ndarray, box: tuple[float, float, float, float], step: float):
    """A polygon cut down for a map's window ``box`` (west, south, east, north): vertices
    outside it moved onto its edge, then vertices closer than ``step`` degrees to the last
    one kept dropped. Inside the window the outline is unchanged up to ``step``; a country
    far larger than the map (China's coast, Russia's) no longer weighs on the figure file."""
    west, south, east, north = box
    pts = np.column_stack(
        [np.clip(polygon[:, 0], west, east), np.clip(polygon[:, 1], south, north)]
    )
    keep = [0]
    last = pts[0]
    for i in range(1, len(pts)):
        if abs(pts[i, 0] - last[0]) >= step or abs(pts[i, 1] - last[1]) >= step:
            keep.append(i)
            last = pts[i]
    return pts[keep]


def visible(polygon: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    """Does a polygon reach into the window at all?"""
    west, south, east, north = box
    x, y = polygon[:, 0], polygon[:, 1]
    return bool(x.max() > west and x.min() < east and y.max() > south and y.min() < north)


def label_point(
    pieces: list[np.ndarray], view: tuple[float, float, float, float], lat0: float, step=0.25
) -> tuple[tuple[float, float] | None, float]:
    """Where to write a country's name on a map of ``view``: of a grid of points inside its
    ``pieces`` and inside the view, the one farthest from any edge (the pieces' outlines
    and the view's sides); with the visible area in square degrees (0 and None when none
    of the grid falls inside)."""
    from matplotlib.path import Path

    west, south, east, north = view
    xs = np.arange(west + step / 2, east, step)
    ys = np.arange(south + step / 2, north, step)
    grid = np.array([(x, y) for y in ys for x in xs])
    inside = np.zeros(len(grid), dtype=bool)
    for piece in pieces:
        inside |= Path(piece).contains_points(grid)
    points = grid[inside]
    if len(points) == 0:
        return None, 0.0
    edges = np.vstack([p[:: max(1, len(p) // 2000)] for p in pieces])
    plane_pts, plane_edges = _plane(points, lat0), _plane(edges, lat0)
    best = np.empty(len(points))
    for i in range(0, len(points), 256):
        d2 = ((plane_pts[i : i + 256, None, :] - plane_edges[None, :, :]) ** 2).sum(axis=-1)
        best[i : i + 256] = np.sqrt(d2.min(axis=1))
    k = np.cos(np.radians(lat0))
    x, y = points[:, 0], points[:, 1]
    to_view = np.minimum.reduce([(x - west) * k, (east - x) * k, y - south, north - y])
    clearance = np.minimum(best, to_view)
    x, y = points[int(np.argmax(clearance))]
    return (float(x), float(y)), float(len(points) * step * step)
