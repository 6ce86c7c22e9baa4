"""A compiled report's content, built once from published case studies: plain data that the
Word, PDF and web page renderers all print in the same order."""

import dataclasses
import datetime

from ..addresses import absolute
from ..discovery.metadata import PORTAL_NAME
from ..filters import CONTROL_CHARACTERS
from ..models import POINT_LIST_BY_KIND, CaseStudy

NO_COUNCIL = "No council named: regional programmes"


@dataclasses.dataclass
class Contact:
    name: str
    email: str
    details: list  # role, organisation, phone: those given


@dataclasses.dataclass
class Entry:
    """One case study as the report prints it."""

    number: int
    title: str
    address: str  # its permanent address on the portal
    councils: list  # council names
    standfirst: str
    narrative: str  # Markdown
    sections: list  # (heading, [point texts], the list's question) in the portal's order
    contacts: list  # Contact, only those who may be published
    links: list  # (title, web address or "")
    source: str  # the publication and pages, in words ("" if none)

    @property
    def anchor(self):
        return f"case-study-{self.number}"


@dataclasses.dataclass
class Group:
    """The case studies of one council, or of several councils together (joint work)."""

    councils: list  # names; empty for case studies that name no council
    entries: list

    @property
    def heading(self):
        return " and ".join(self.councils) or NO_COUNCIL


@dataclasses.dataclass
class CompiledReport:
    title: str
    introduction: str  # plain paragraphs, as typed
    compiled_on: datetime.date
    groups: list
    portal_name: str = PORTAL_NAME
    portal_address: str = ""

    @property
    def entries(self):
        return [entry for group in self.groups for entry in group.entries]

    @property
    def introduction_paragraphs(self):
        return [part.strip() for part in self.introduction.split("\n\n") if part.strip()]


def source_words(case_study):
    publication = case_study.publication
    if publication is None:
        return ""
    words = f"{publication.title}, {publication.publisher}, {publication.year}"
    if case_study.source_pages:
        words += f", pages {case_study.source_pages}"
    return words


def build_report(case_studies, *, title, introduction="", compiled_on=None):
    """The report of `case_studies` (a queryset: only its published ones are used), grouped by
    the councils each names: a joint case study is in one group for all its councils
    together, as the source documents print them. Case studies that name no council come
    first (a Word report's importer reads them only there), then the councils A to Z."""
    rows = list(
        CaseStudy.objects.published()
        .filter(pk__in=case_studies.values("pk"))
        .with_page_data()
        .order_by("title")
    )
    grouped = {}
    for case_study in rows:
        names = tuple(sorted(council.name for council in case_study.councils.all()))
        grouped.setdefault(names, []).append(case_study)
    groups = []
    number = 0
    for names in sorted(grouped, key=lambda names: (bool(names), names)):
        entries = []
        for case_study in grouped[names]:
            number += 1
            entries.append(entry_for(case_study, number=number, councils=list(names)))
        groups.append(Group(councils=list(names), entries=entries))
    return CompiledReport(
        title=title,
        introduction=introduction,
        compiled_on=compiled_on or datetime.date.today(),
        groups=groups,
        portal_address=absolute("/"),
    )


def clean(text):
    """Text without control characters, which a Word document cannot hold."""
    return CONTROL_CHARACTERS.sub("", text)


def entry_for(case_study, *, number, councils):
    return Entry(
        number=number,
        title=clean(case_study.title),
        address=absolute(case_study.get_absolute_url()),
        councils=councils,
        standfirst=clean(case_study.standfirst),
        narrative=clean(case_study.narrative),
        sections=[
            (
                clean(section["heading"]),
                [clean(point.text) for point in section["points"]],
                POINT_LIST_BY_KIND[section["kind"]].default_heading,
            )
            for section in case_study.point_sections()
        ],
        contacts=[
            Contact(
                name=clean(contact.name),
                email=contact.email,
                details=[
                    clean(part)
                    for part in (contact.role, contact.organisation, contact.phone)
                    if part
                ],
            )
            for contact in case_study.published_contacts()
        ],
        links=[(clean(link.title), link.url) for link in case_study.links.all()],
        source=clean(source_words(case_study)),
    )
