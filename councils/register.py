"""Loading the register of councils (fixtures/reference/england_adult_social_care_authorities.csv,
with its source and licence in the README beside it) into the portal's councils.

A council of the register is found in the portal by its ONS code, then by any of its names: so
the councils the seed content created keep their slugs, names, regions and case studies, and
gain the register's facts. For a council that exists, the register's facts (codes, type,
population, the point on the map, other spellings) are brought up to date; its name, short name
and region stay as they are, because they are editorial choices (the region also decides who
may edit its case studies), and where the register differs the report says so, for a site
administrator to decide in the admin. The register's own names become other spellings, so
reports that use them still find the council. Loading twice changes nothing the second time.
"""

import csv
import dataclasses
import math
from pathlib import Path

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from .models import Council, Region
from .names import NameIndex, name_key, place_key

REGISTER_FILE = (
    Path(settings.BASE_DIR) / "fixtures" / "reference" / "england_adult_social_care_authorities.csv"
)
CREDIT = "mySociety, UK Local Authority Names and Codes, CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
SOURCE_URL = "https://github.com/mysociety/uk_local_authority_names_and_codes"
POPULATION_YEAR = 2020  # the register's column pop-2020: mid-2020 estimates

KINDS = {
    "CTY": Council.Kind.COUNTY,
    "UA": Council.Kind.UNITARY,
    "MD": Council.Kind.METROPOLITAN_BOROUGH,
    "LBO": Council.Kind.LONDON_BOROUGH,
    "CC": Council.Kind.CITY_OF_LONDON,
}
COLUMNS = {
    "local-authority-code",
    "official-name",
    "nice-name",
    "gss-code",
    "region",
    "local-authority-type",
    "alt-names",
    "gov-uk-slug",
    "pop-2020",
    "lat",
    "long",
}
# For a council the seed content made before the register was first loaded: chosen by people.
PEOPLES_CHOICE = {"name", "short_name", "region"}


class RegisterError(Exception):
    """The register file cannot be loaded; the message says where and why."""


@dataclasses.dataclass
class RegisterReport:
    created: list = dataclasses.field(default_factory=list)
    updated: dict = dataclasses.field(default_factory=dict)  # council: [what changed]
    unchanged: int = 0
    kept: dict = dataclasses.field(default_factory=dict)  # council: [what the register differs in]
    not_in_register: list = dataclasses.field(default_factory=list)
    doubtful: list = dataclasses.field(default_factory=list)  # councils: see doubtful_points

    def lines(self):
        """The report in plain words, one line each."""
        yield (
            f"Created {len(self.created)}, updated {len(self.updated)}, "
            f"unchanged {self.unchanged} councils."
        )
        for council in self.created:
            yield f"Created: {council.name} ({council.region})."
        for council, changes in self.updated.items():
            yield f"Updated: {council.name}: {'; '.join(changes)}."
        for council, differences in self.kept.items():
            yield (
                f"Kept: {council.name}: {'; '.join(differences)}. Change it in the admin if "
                "the register is right."
            )
        for council in self.not_in_register:
            replaced = f" (replaced by {council.replaced_by})" if council.replaced_by_id else ""
            yield f"Not in the register: {council.name}{replaced}."
        for council in self.doubtful:
            yield (
                f"Check: none of the {NEIGHBOURS_CHECKED} councils nearest the point of "
                f"{council.name} is in its region, {council.region}. Is its point or its "
                "region wrong?"
            )


@dataclasses.dataclass
class Entry:
    """One row of the register, as the portal's fields."""

    gss_code: str
    register_code: str
    name: str
    short_name: str
    kind: str
    region_name: str
    slug: str
    alt_names: list
    population: int | None
    latitude: float | None
    longitude: float | None

    def names(self):
        return [self.name, self.short_name, *self.alt_names]


def read_register(path=REGISTER_FILE):
    """The register's rows as Entries, checked for shape."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            missing = COLUMNS - set(reader.fieldnames or [])
            if missing:
                raise RegisterError(f"{path.name}: missing columns {', '.join(sorted(missing))}.")
            return [_entry(row, line) for line, row in enumerate(reader, start=2)]
    except OSError as error:
        raise RegisterError(f"Cannot read the register {path}: {error.strerror}.") from None


def _entry(row, line):
    where = f"line {line} ({row['official-name'] or 'no name'})"
    if not row["gss-code"] or not row["official-name"] or not row["nice-name"]:
        raise RegisterError(f"{where}: an ONS code, official name and short name are needed.")
    if row["local-authority-type"] not in KINDS:
        raise RegisterError(f"{where}: unknown type {row['local-authority-type']!r}.")
    try:
        population = round(float(row["pop-2020"])) if row["pop-2020"] else None
        latitude = float(row["lat"]) if row["lat"] else None
        longitude = float(row["long"]) if row["long"] else None
    except ValueError:
        raise RegisterError(f"{where}: population, lat and long must be numbers.") from None
    return Entry(
        gss_code=row["gss-code"].strip(),
        register_code=row["local-authority-code"].strip(),
        name=row["official-name"].strip(),
        short_name=row["nice-name"].strip(),
        kind=KINDS[row["local-authority-type"]],
        region_name=row["region"].strip(),
        slug=slugify(row["gov-uk-slug"]) or slugify(row["nice-name"]),
        alt_names=split_spellings(row["alt-names"]),
        population=population,
        latitude=latitude,
        longitude=longitude,
    )


def split_spellings(text):
    """The register's comma-separated spellings, where a spelling may hold a comma itself
    ("Bristol, City of"): a piece of only words such as "City of" belongs to the one before."""
    spellings = []
    for piece in (piece.strip() for piece in text.split(",")):
        if not piece:
            continue
        if spellings and not place_key(piece):
            spellings[-1] = f"{spellings[-1]}, {piece}"
        else:
            spellings.append(piece)
    return spellings


def other_names(council_names, register_names, existing_other_names):
    """The other spellings to keep: those already kept, then the register's, each once
    (compared as `name_key` does), leaving out the council's own name and short name."""
    seen = {name_key(name) for name in council_names}
    kept = []
    for name in [*existing_other_names, *register_names]:
        if name_key(name) not in seen:
            seen.add(name_key(name))
            kept.append(name)
    return "\n".join(kept)


def stored(value):
    """A field's value as `Council.register_facts` keeps it (a region by its slug)."""
    return value.slug if isinstance(value, Region) else value


def distance_km(one, other):
    """Roughly how far apart two councils' points are (equirectangular; fine at this scale)."""
    mean_latitude = math.radians((one.latitude + other.latitude) / 2)
    east = math.radians(other.longitude - one.longitude) * math.cos(mean_latitude)
    north = math.radians(other.latitude - one.latitude)
    return 6371 * math.hypot(east, north)


NEIGHBOURS_CHECKED = 5


def doubtful_points(councils):
    """Councils none of whose nearest neighbours is in their region: their point or their
    region may be wrong (the register has had both kinds of mistake)."""
    placed = [c for c in councils if c.latitude is not None and c.replaced_by_id is None]
    doubtful = []
    for council in placed:
        nearest = sorted(
            (distance_km(council, other), other.region_id)
            for other in placed
            if other is not council
        )[:NEIGHBOURS_CHECKED]
        if nearest and all(region_id != council.region_id for _km, region_id in nearest):
            doubtful.append(council)
    return doubtful


class _Loader:
    def __init__(self, entries):
        self.entries = entries
        self.report = RegisterReport()
        self.councils = list(Council.objects.select_related("region", "replaced_by"))
        self.regions = {name_key(region.name): region for region in Region.objects.all()}
        self.matched = set()

    def find(self, entry):
        """The portal's council for a register entry: by ONS code, then by any name."""
        for council in self.councils:
            if council.gss_code == entry.gss_code:
                return council
        unregistered = [
            council
            for council in self.councils
            if not council.gss_code and council.pk not in self.matched
        ]
        return NameIndex(unregistered).get(*entry.names())

    def region(self, entry):
        region = self.regions.get(name_key(entry.region_name))
        if region is None:
            raise RegisterError(
                f"{entry.name}: no region called {entry.region_name!r} in the portal."
            )
        return region

    def facts(self, entry, region):
        """The register's value of each field it sets."""
        return {
            "name": entry.name,
            "short_name": entry.short_name,
            "region": region,
            "gss_code": entry.gss_code,
            "register_code": entry.register_code,
            "kind": entry.kind,
            "population": entry.population,
            "population_year": POPULATION_YEAR if entry.population is not None else None,
            "latitude": entry.latitude,
            "longitude": entry.longitude,
        }

    def load(self):
        for entry in self.entries:
            council = self.find(entry)
            region = self.region(entry)
            if council is None:
                self.create(entry, region)
            else:
                self.matched.add(council.pk)
                self.update(council, entry, region)
        gss_codes = {entry.gss_code for entry in self.entries}
        self.report.not_in_register = [
            council
            for council in self.councils
            if council.pk not in self.matched and council.gss_code not in gss_codes
        ]
        self.report.doubtful = doubtful_points(self.councils)
        return self.report

    def unique_slug(self, slug):
        taken = {council.slug for council in self.councils}
        candidate, number = slug, 2
        while candidate in taken:
            candidate, number = f"{slug}-{number}", number + 1
        return candidate

    def create(self, entry, region):
        facts = self.facts(entry, region)
        council = Council(
            slug=self.unique_slug(entry.slug),
            other_names=other_names([entry.name, entry.short_name], entry.alt_names, []),
            register_facts={field: stored(value) for field, value in facts.items()},
            **facts,
        )
        self.save(council, "Added from the register of councils")
        self.councils.append(council)
        self.matched.add(council.pk)
        self.report.created.append(council)

    def update(self, council, entry, region):
        """Bring the council's fields up to the register's, except where a person chose
        otherwise: a field that differs from what the register said when it was last loaded
        was changed in the portal, and is kept; so are the names and region of a council the
        seed content made, on the register's first load."""
        facts = self.facts(entry, region)
        last = council.register_facts
        previous_names = [council.name, council.short_name]
        changes, kept = [], []
        for field, value in facts.items():
            current = getattr(council, field)
            if stored(current) == stored(value):
                continue
            label = Council._meta.get_field(field).verbose_name
            chosen = last[field] != stored(current) if field in last else field in PEOPLES_CHOICE
            if chosen:
                kept.append(
                    f"the register says {label} “{_shown(value)}”, the portal “{_shown(current)}”"
                )
            else:
                changes.append(f"{label} {_shown(current)} → {_shown(value)}")
                setattr(council, field, value)
        spellings = other_names(
            [council.name, council.short_name],
            [*previous_names, entry.name, entry.short_name, *entry.alt_names],
            council.other_name_list,
        )
        if spellings != council.other_names:
            changes.append(f"other spellings {_shown(council.other_names)} → {_shown(spellings)}")
            council.other_names = spellings
        register_facts = {field: stored(value) for field, value in facts.items()}
        if changes or register_facts != last:
            council.register_facts = register_facts
            self.save(council, "Updated from the register of councils")
        if changes:
            self.report.updated[council] = changes
        else:
            self.report.unchanged += 1
        if kept:
            self.report.kept[council] = kept

    @staticmethod
    def save(council, comment):
        try:
            council.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in error)
            raise RegisterError(f"{council.name}: {problems}") from None
        with reversion.create_revision(manage_manually=True):
            council.save()
            reversion.add_to_revision(council)
            reversion.set_comment(comment)


def _shown(value):
    if value in (None, ""):
        return "(none)"
    if isinstance(value, str) and "\n" in value:
        return f"{len(value.splitlines())} spellings"
    return str(value)


def load_register(path=REGISTER_FILE):
    """Load the register in one transaction, all or nothing; returns a RegisterReport."""
    entries = read_register(path)
    codes = [entry.gss_code for entry in entries]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise RegisterError(f"ONS codes listed more than once: {', '.join(duplicated)}.")
    with transaction.atomic():
        return _Loader(entries).load()
