"""Loading the curated seed content in fixtures/content/ (format: fixtures/README.md).

Records are matched by slug. By default only missing records are created, so content an
editor has changed in the admin is never overwritten; `update=True` makes the database match
the files again.
"""

import dataclasses
from pathlib import Path

import reversion
import yaml
from django.db import transaction

from councils.models import Council, Organisation, Region
from councils.names import NameIndex

from .models import (
    POINT_LISTS,
    Approach,
    CaseStudy,
    Contact,
    PeopleGroup,
    Publication,
    Resource,
    Status,
    Topic,
)
from .search import refresh_search_text_on_commit

# For each section of a content file: its model, required keys and optional keys.
SCHEMA = {
    "topics": (Topic, {"slug", "name", "description"}, set()),
    "people": (PeopleGroup, {"slug", "name", "description"}, set()),
    "approaches": (Approach, {"slug", "name", "description"}, set()),
    "councils": (Council, {"slug", "name", "short_name", "kind", "region"}, {"website"}),
    "organisations": (Organisation, {"slug", "name", "kind"}, {"website"}),
    "publications": (
        Publication,
        {"slug", "title", "publisher", "year"},
        {"published_on", "url", "description", "terms"},
    ),
    "case_studies": (
        CaseStudy,
        {"slug", "title", "standfirst", "region"},
        {
            "publication",
            "source_pages",
            "councils",
            "organisations",
            "topics",
            "people",
            "approaches",
            "stage",
            "started_on",
            "narrative",
            "contacts",
            "links",
            "quotes",
            "content_note",
            *(point_list.name for point_list in POINT_LISTS),
            *(point_list.heading_field for point_list in POINT_LISTS),
        },
    ),
    "resources": (
        Resource,
        {"slug", "title", "kind"},
        {"publication", "source_pages", "region", "councils", "intro", "items", "content_note"},
    ),
}
# Sections are loaded in this order, so that what a record refers to already exists.
LOAD_ORDER = list(SCHEMA)


class ContentError(Exception):
    """The content files are not valid; the message says where and why."""


@dataclasses.dataclass
class LoadReport:
    created: dict = dataclasses.field(default_factory=dict)
    updated: dict = dataclasses.field(default_factory=dict)
    unchanged: dict = dataclasses.field(default_factory=dict)

    def count(self, outcome, section):
        tally = getattr(self, outcome)
        tally[section] = tally.get(section, 0) + 1


def read_content(directory):
    """Every record in the directory's YAML files, by section and slug, checked for shape."""
    records = {section: {} for section in SCHEMA}
    origins = {}
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise ContentError(f"No content files (*.yaml) in {directory}.")
    for path in files:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise ContentError(f"{path.name} is not valid YAML: {error}") from None
        if not isinstance(document, dict):
            raise ContentError(f"{path.name} must be a mapping of sections to lists.")
        for section, entries in document.items():
            if section not in SCHEMA:
                known = ", ".join(SCHEMA)
                raise ContentError(f"{path.name}: unknown section {section!r} (known: {known}).")
            _model, required, optional = SCHEMA[section]
            for entry in entries or []:
                where = f"{path.name}, {section}, {entry.get('slug', '(no slug)')!s}"
                missing = required - entry.keys()
                if missing:
                    raise ContentError(f"{where}: missing {', '.join(sorted(missing))}.")
                unknown = entry.keys() - required - optional
                if unknown:
                    raise ContentError(f"{where}: unknown field {', '.join(sorted(unknown))}.")
                slug = entry["slug"]
                if slug in records[section] and records[section][slug] != entry:
                    raise ContentError(
                        f"{section} {slug!r} is defined differently in "
                        f"{origins[section, slug]} and {path.name}."
                    )
                records[section][slug] = entry
                origins[section, slug] = path.name
    return records


class _Loader:
    def __init__(self, records, update):
        self.records = records
        self.update = update
        self.report = LoadReport()
        self.changed_case_study_ids = set()

    def lookup(self, model, slug, where):
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            name = model._meta.verbose_name
            raise ContentError(f"{where}: no {name} with slug {slug!r}.") from None

    def lookup_many(self, model, slugs, where):
        return [self.lookup(model, slug, where) for slug in slugs or []]

    def save(self, section, model, slug, fields, relations=(), children=None):
        """Create or (with update) refresh one record; returns it, or None if left alone.

        A versioned record (a case study, with its parts) that is created or changed gets a
        version saying so, as an edit in the admin would: its first version is the files' text.
        """
        with reversion.create_revision(manage_manually=True):
            instance, outcome, changed = self.write(model, slug, fields, relations, children)
            if changed and reversion.is_registered(model):
                reversion.add_to_revision(instance)
                reversion.set_comment(self.VERSION_COMMENTS[outcome])
        self.report.count(outcome if changed else "unchanged", section)
        if changed and model is CaseStudy:
            self.changed_case_study_ids.add(instance.pk)
        return instance

    VERSION_COMMENTS = {
        "created": "Loaded from the seed content",
        "updated": "Restored from the seed content",
    }

    def write(self, model, slug, fields, relations, children):
        """Make the record match the files: (instance or None if left alone, "created" or
        "updated" or "unchanged", whether anything changed)."""
        instance = model.objects.filter(slug=slug).first()
        if instance is not None and not self.update:
            return None, "unchanged", False
        if instance is None:
            outcome, changed, instance = "created", True, model(slug=slug, **fields)
        else:
            outcome, changed = "updated", False
            for name, value in fields.items():
                if getattr(instance, name) != value:
                    setattr(instance, name, value)
                    changed = True
        if changed:
            instance.full_clean(validate_unique=False, validate_constraints=False)
            instance.save()
        for name, related in relations:
            manager = getattr(instance, name)
            if set(manager.all()) != set(related):
                manager.set(related)
                changed = True
        for related_name, rows in (children or {}).items():
            changed |= self.replace_children(instance, related_name, rows)
        return instance, outcome, changed

    def replace_children(self, parent, related_name, rows):
        """Make a parent's ordered list match `rows` (dicts of field values)."""
        manager = getattr(parent, related_name)
        fields = list(rows[0]) if rows else []
        current = [tuple(getattr(child, name) for name in fields) for child in manager.all()]
        wanted = [tuple(row.values()) for row in rows]
        if sorted(current) == sorted(wanted):
            return False
        manager.all().delete()
        model = manager.model
        objects = [model(**{manager.field.name: parent, **row}) for row in rows]
        for instance in objects:
            instance.full_clean(exclude=[manager.field.name], validate_constraints=False)
        model.objects.bulk_create(objects)
        return True

    def load(self):
        for section in LOAD_ORDER:
            loader = getattr(self, f"load_{section}", None) or self.load_plain
            for slug, entry in self.records[section].items():
                loader(section, slug, entry)
        return self.report

    def load_plain(self, section, slug, entry):
        model = SCHEMA[section][0]
        fields = {key: value for key, value in entry.items() if key != "slug"}
        self.save(section, model, slug, {k: v if v is not None else "" for k, v in fields.items()})

    def load_councils(self, section, slug, entry):
        where = f"councils, {slug}"
        fields = {
            "name": entry["name"],
            "short_name": entry["short_name"],
            "kind": entry["kind"],
            "region": self.lookup(Region, entry["region"], where),
            "website": entry.get("website") or "",
        }
        self.adopt_council(slug, entry)
        self.save(section, Council, slug, fields)

    def adopt_council(self, slug, entry):
        """Give the files' slug to a council the register of councils (load_councils) added
        first under another one, found by its name, so the files' references find it."""
        if Council.objects.filter(slug=slug).exists():
            return
        council = NameIndex(Council.objects.all()).get(entry["name"], entry["short_name"])
        if council is not None:
            council.slug = slug
            with reversion.create_revision(manage_manually=True):
                council.save(update_fields=["slug"])
                reversion.add_to_revision(council)
                reversion.set_comment("Web address from the seed content")
            self.report.count("updated", "councils")

    def load_publications(self, section, slug, entry):
        fields = {
            "title": entry["title"],
            "publisher": entry["publisher"],
            "year": entry["year"],
            "published_on": entry.get("published_on"),
            "url": entry.get("url") or "",
            "description": (entry.get("description") or "").strip(),
            "terms": (entry.get("terms") or "").strip(),
        }
        self.save(section, Publication, slug, fields)

    def load_case_studies(self, section, slug, entry):
        where = f"case_studies, {slug}"
        publication = entry.get("publication")
        publication = self.lookup(Publication, publication, where) if publication else None
        source_date = publication.source_date if publication else None
        fields = {
            "title": entry["title"],
            "standfirst": entry["standfirst"],
            "narrative": (entry.get("narrative") or "").strip(),
            "region": self.lookup(Region, entry["region"], where),
            "publication": publication,
            "source_pages": str(entry.get("source_pages") or ""),
            "stage": entry.get("stage") or CaseStudy.Stage.IN_PROGRESS,
            "started_on": entry.get("started_on"),
            "published_on": source_date,
            "last_reviewed_on": source_date,
            "status": Status.PUBLISHED,
            "content_note": (entry.get("content_note") or "").strip(),
        }
        for point_list in POINT_LISTS:
            fields[point_list.heading_field] = entry.get(point_list.heading_field) or ""
        relations = [
            ("councils", self.lookup_many(Council, entry.get("councils"), where)),
            ("organisations", self.lookup_many(Organisation, entry.get("organisations"), where)),
            ("topics", self.lookup_many(Topic, entry.get("topics"), where)),
            ("people", self.lookup_many(PeopleGroup, entry.get("people"), where)),
            ("approaches", self.lookup_many(Approach, entry.get("approaches"), where)),
        ]
        points = [
            {"kind": point_list.kind, "order": order, "text": text.strip()}
            for point_list in POINT_LISTS
            for order, text in enumerate(entry.get(point_list.name) or [], start=1)
        ]
        contacts = [
            {
                "order": order,
                "name": contact.get("name") or "",
                "role": contact.get("role") or "",
                "organisation": contact.get("organisation") or "",
                "email": contact.get("email") or "",
                "phone": str(contact.get("phone") or ""),
                **Contact.consent_from_source(publication),
            }
            for order, contact in enumerate(entry.get("contacts") or [], start=1)
        ]
        links = [
            {"order": order, "title": link["title"], "url": link.get("url") or ""}
            for order, link in enumerate(entry.get("links") or [], start=1)
        ]
        quotes = [
            {
                "order": order,
                "text": quote["text"].strip(),
                "attribution": quote.get("attribution") or "",
            }
            for order, quote in enumerate(entry.get("quotes") or [], start=1)
        ]
        self.save(
            section,
            CaseStudy,
            slug,
            fields,
            relations,
            {"points": points, "contacts": contacts, "links": links, "quotes": quotes},
        )

    def load_resources(self, section, slug, entry):
        where = f"resources, {slug}"
        publication = entry.get("publication")
        region = entry.get("region")
        fields = {
            "title": entry["title"],
            "kind": entry["kind"],
            "intro": (entry.get("intro") or "").strip(),
            "publication": self.lookup(Publication, publication, where) if publication else None,
            "source_pages": str(entry.get("source_pages") or ""),
            "region": self.lookup(Region, region, where) if region else None,
            "status": Status.PUBLISHED,
            "content_note": (entry.get("content_note") or "").strip(),
        }
        items = [
            {"order": order, "text": text.strip()}
            for order, text in enumerate(entry.get("items") or [], start=1)
        ]
        self.save(
            section,
            Resource,
            slug,
            fields,
            [("councils", self.lookup_many(Council, entry.get("councils"), where))],
            {"items": items},
        )


def seed_content_load(*, directory, update=False):
    """Load the content files in `directory` in one transaction; all or nothing."""
    records = read_content(directory)
    with transaction.atomic():
        loader = _Loader(records, update)
        report = loader.load()
        # Children are bulk-created, which sends no signals: ask for the refresh here.
        refresh_search_text_on_commit(loader.changed_case_study_ids)
        return report
