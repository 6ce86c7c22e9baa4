"""The map of England the portal draws itself: one circle per council, sized by its number of
published case studies, as inline SVG (templates/includes/council_map.html).

Nothing comes from outside the site: no map tiles, no coastline, no boundaries. The portal
ships no such data, and none is drawn from memory, so the map shows only what its own data
says: each council's point (a point inside its area, from the register of councils) and each
region's name near the middle of its councils' points.

Projection: equirectangular, with longitude scaled by the cosine of the mean latitude of the
points, so that a kilometre east is about as long as a kilometre north across England; then
scaled and centred to fit the panel's viewBox (north up, east right). At England's size the
distortion is small, and the map makes no claim to be more than a sketch of where councils are.

London's 33 councils lie within 40 km of each other: at England's scale their circles would
cover one another. They are drawn on a second panel at a larger scale (with the same
projection), and England's panel marks where London is with a box. The tables beside the map
give every figure for people who cannot use it.
"""

import math
from dataclasses import dataclass, field

from councils.models import Council, Region

# Councils drawn on London's panel.
LONDON_KINDS = {Council.Kind.LONDON_BOROUGH, Council.Kind.CITY_OF_LONDON}

# Sizes in viewBox units, which are pixels when a panel is shown at its full width.
ENGLAND_WIDTH = 440
LONDON_WIDTH = 440
MARGIN = 24
# A circle's area is proportional to its number of case studies: radius = unit * √count. The
# unit gives the council with most case studies a radius of LARGEST_RADIUS, but one case study
# never gets a radius under SMALLEST_UNIT (so it stays bigger than the dot for none) or over
# LARGEST_UNIT. With very many case studies, the largest circle is then larger.
LARGEST_RADIUS = 18
LARGEST_UNIT = 7
SMALLEST_UNIT = 5
# A council with no case studies yet: a small hollow dot.
NONE_RADIUS = 3.5
# The ring drawn round a circle when its link has the keyboard's focus.
FOCUS_GAP = 4


def council_figures(case_studies):
    """Every current council with the number of `case_studies` it is linked to
    (`case_study_count`), and a replaced council while it still has some; with its region and
    the council that replaced it; by region, then name. One query."""
    councils = case_studies.count_per(
        Council.objects.select_related("region", "replaced_by").order_by(
            "region__name", "short_name"
        )
    )
    return [council for council in councils if council.is_current or council.case_study_count]


@dataclass
class RegionFigures:
    """One region's line of figures, and its councils to show."""

    region: Region
    councils: list
    shown: list

    @property
    def current(self):
        """Its councils that still exist: a replaced one is listed only for its case studies."""
        return [council for council in self.councils if council.is_current]

    @property
    def with_case_studies(self):
        return sum(1 for council in self.current if council.case_study_count)


def region_figures(regions, councils, *, only_with_case_studies=False):
    """A RegionFigures for each of `regions` (annotated with `case_study_count`), counting all
    its `councils` and showing all of them, or only those with case studies."""
    by_region = {}
    for council in councils:
        by_region.setdefault(council.region_id, []).append(council)
    return [
        RegionFigures(
            region,
            by_region.get(region.pk, []),
            [
                council
                for council in by_region.get(region.pk, [])
                if council.case_study_count or not only_with_case_studies
            ],
        )
        for region in regions
    ]


def councils_phrase(count):
    return f"{count} council{'' if count == 1 else 's'}"


def case_studies_phrase(count):
    if count == 0:
        return "no case studies yet"
    return f"{count} case stud{'y' if count == 1 else 'ies'}"


@dataclass
class Point:
    """One council's circle on a panel."""

    council: Council
    count: int
    x: float
    y: float
    radius: float

    @property
    def none(self):
        return self.count == 0

    @property
    def label(self):
        """The link's accessible name and tooltip: "Essex: 4 case studies"."""
        return f"{self.council.short_name}: {case_studies_phrase(self.count)}"

    @property
    def focus_radius(self):
        return self.radius + FOCUS_GAP


@dataclass
class Label:
    text: str
    x: float
    y: float


@dataclass
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self):
        return round(self.x + self.width, 1)

    @property
    def bottom(self):
        return round(self.y + self.height, 1)


@dataclass
class Panel:
    """One SVG: its size in viewBox units, its circles, and the labels that give context."""

    name: str
    title: str
    width: float
    height: float
    points: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    london_box: Box | None = None


@dataclass
class KeyEntry:
    radius: float
    text: str
    none: bool = False

    @property
    def size(self):
        """The width and height of the key's little SVG for this entry."""
        return round(2 * self.radius + 4, 1)

    @property
    def centre(self):
        return round(self.radius + 2, 1)


class Projection:
    """Latitude and longitude to x and y in a panel of the given width, fitting `places` (pairs
    of latitude and longitude) inside its margins."""

    def __init__(self, places, *, width, cos_latitude, least_span, tallest):
        xs = [longitude * cos_latitude for _, longitude in places]
        ys = [-latitude for latitude, _ in places]
        self.cos_latitude = cos_latitude
        span_x = max(max(xs) - min(xs), least_span)
        span_y = max(max(ys) - min(ys), least_span)
        inner = width - 2 * MARGIN
        self.scale = min(inner / span_x, (tallest - 2 * MARGIN) / span_y)
        self.width = width
        self.height = round((max(ys) - min(ys)) * self.scale + 2 * MARGIN, 1)
        # Centred across the width; the top point at the top margin.
        self.left = MARGIN + (inner - (max(xs) - min(xs)) * self.scale) / 2 - min(xs) * self.scale
        self.top = MARGIN - min(ys) * self.scale

    def __call__(self, latitude, longitude):
        x = self.left + longitude * self.cos_latitude * self.scale
        y = self.top - latitude * self.scale
        return round(x, 1), round(y, 1)


def _keep_apart(labels, *, letter_width=7.5, line_height=15):
    """Move labels down, one line at a time, until none covers one placed before it. Widths are
    estimated from the number of letters (13px text is about 7.5px a letter)."""
    placed = []
    for label in labels:
        half = len(label.text) * letter_width / 2
        while any(
            abs(label.x - other.x) < half + len(other.text) * letter_width / 2
            and abs(label.y - other.y) < line_height
            for other in placed
        ):
            label.y = round(label.y + line_height, 1)
        placed.append(label)


class CouncilMap:
    """The map of `councils`: each annotated with `case_study_count` (CaseStudyQuerySet's
    count_per), with its region fetched. They are drawn in the order given, which is also the
    order a keyboard moves through them; London's after the rest."""

    def __init__(self, councils, *, topic=None):
        councils = list(councils)
        self.topic = topic
        self.count = len(councils)
        placed = [c for c in councils if c.latitude is not None and c.longitude is not None]
        self.unplaced = [c for c in councils if c.latitude is None or c.longitude is None]
        most = max((c.case_study_count for c in councils), default=0)
        self.unit = min(LARGEST_UNIT, max(SMALLEST_UNIT, LARGEST_RADIUS / math.sqrt(most or 1)))
        self.key = self._key(councils, most)

        london = [c for c in placed if c.kind in LONDON_KINDS]
        rest = [c for c in placed if c.kind not in LONDON_KINDS]
        self.england = self.london = None
        if placed:
            mean_latitude = sum(c.latitude for c in placed) / len(placed)
            cos_latitude = math.cos(math.radians(mean_latitude))
            self.england = self._england(rest, london, placed, cos_latitude)
            if london:
                self.london = self._panel(
                    "london",
                    f"London, on a larger scale: {councils_phrase(len(london))}",
                    london,
                    Projection(
                        [(c.latitude, c.longitude) for c in london],
                        width=LONDON_WIDTH,
                        cos_latitude=cos_latitude,
                        least_span=0.1,
                        tallest=LONDON_WIDTH,
                    ),
                )
        self.panels = [panel for panel in (self.england, self.london) if panel]
        self.points = [point for panel in self.panels for point in panel.points]

    def radius(self, count):
        return NONE_RADIUS if count == 0 else round(self.unit * math.sqrt(count), 2)

    def _panel(self, name, title, councils, project):
        points = []
        for council in councils:
            x, y = project(council.latitude, council.longitude)
            count = council.case_study_count
            points.append(Point(council, count, x, y, self.radius(count)))
        return Panel(name, title, project.width, project.height, points)

    def _england(self, rest, london, placed, cos_latitude):
        project = Projection(
            [(c.latitude, c.longitude) for c in placed],
            width=ENGLAND_WIDTH,
            cos_latitude=cos_latitude,
            least_span=1,
            tallest=ENGLAND_WIDTH * 1.4,
        )
        title = f"England{', without London' if london else ''}: {councils_phrase(len(rest))}"
        panel = self._panel("england", title, rest, project)
        # Each region's name at the mean of its councils' points: context computed from the
        # data alone. London's is the box round its councils' points.
        regions = {}
        for point in panel.points:
            regions.setdefault(point.council.region, []).append(point)
        panel.labels = [
            Label(
                region.name,
                round(sum(p.x for p in points) / len(points), 1),
                round(sum(p.y for p in points) / len(points), 1),
            )
            for region, points in regions.items()
        ]
        if london:
            corners = [project(c.latitude, c.longitude) for c in london]
            left = min(x for x, _ in corners) - 6
            top = min(y for _, y in corners) - 6
            panel.london_box = Box(
                round(left, 1),
                round(top, 1),
                round(max(x for x, _ in corners) + 6 - left, 1),
                round(max(y for _, y in corners) + 6 - top, 1),
            )
            # A region round London (the South East) has its middle inside London's box: its
            # name goes just below the box instead.
            box = panel.london_box
            for label in panel.labels:
                if box.x - 40 <= label.x <= box.right + 40 and box.y <= label.y <= box.bottom + 13:
                    label.y = round(box.bottom + 16, 1)
        _keep_apart(panel.labels)
        return panel

    def _key(self, councils, most):
        counts = {c.case_study_count for c in councils}
        key = []
        if 0 in counts:
            key.append(KeyEntry(NONE_RADIUS, "No case studies yet", none=True))
        if most >= 1:
            key.append(KeyEntry(self.radius(1), "1 case study"))
        if most > 1:
            key.append(KeyEntry(self.radius(most), f"{most} case studies"))
        return key
