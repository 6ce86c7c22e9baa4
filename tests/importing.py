"""Shared pieces for the report importer's tests: the source documents and a synthetic report."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from councils.models import Council, Region

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
CONTENT = Path(settings.BASE_DIR) / "fixtures" / "content"


def seed_file(prefix):
    """The source document whose name starts with `prefix`, or skip saying where it should be."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"The source documents are not in {SEEDS}; tests that read them need them.")
    return matches[0]


def load_councils():
    """The councils of the seed content (regions come from the data migration)."""
    data = yaml.safe_load((CONTENT / "councils.yaml").read_text(encoding="utf-8"))
    for entry in data["councils"]:
        Council.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "short_name": entry["short_name"],
                "kind": entry["kind"],
                "region": Region.objects.get(slug=entry["region"]),
            },
        )


# A clearly synthetic report in the layout the importer reads: invented councils' work,
# invented people at example.org addresses.
SYNTHETIC_REPORT = """\
A synthetic report for testing the importer

Essex County Council

Synthetic case study one: a test title

A one-line summary of the synthetic case study.

The story of the synthetic case study, told in a paragraph.

- a bullet in the narrative

What was the learning that supported success?

- Synthetic learning point one.
- Synthetic learning point two, which the PDF
 wrapped onto a second line.

What were the conditions for success?

- Synthetic condition.

Contact: Test Person One – test.one@example.org and Test Person Two - test.two@example.org

Further information:

Synthetic link title (example.org)

https://example.org/synthetic

Essex County Council

Synthetic case study two: no barriers

Another one-line summary.

What was the learning that supported success?

A learning point printed without its bullet marker.

What were the challenges?

- A synthetic challenge.

17

Contact: Test Person Three – test.three@example.org
"""
