"""Times the public pages with the seed content plus synthetic case studies.

    make bench                      # a throwaway SQLite file in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_bench make bench   # an EMPTY database
    BENCH_CASE_STUDIES=500 make bench

Every synthetic title starts with "[Synthetic benchmark data]". Each page is fetched through
Django's test client (no network) BENCH_RUNS times; the 95th percentile is printed against its
target and the script exits with status 1 when any target is missed.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "coproduction_portal.settings"
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

CASE_STUDIES = int(os.environ.get("BENCH_CASE_STUDIES", "2000"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
LABEL = "[Synthetic benchmark data]"
# Targets: the 95th percentile of server time, in milliseconds, at 2,000 case studies.
TARGETS_MS = {
    "list": 300,
    "filtered list": 300,
    "search": 400,
    "search + filter": 400,
    "detail": 150,
    "council": 300,
}
WORDS = [
    "carers",
    "strategy",
    "housing",
    "transport",
    "forum",
    "assessment",
    "workshop",
    "survey",
    "employment",
    "digital",
    "charter",
    "commissioning",
    "advocacy",
    "listening",
    "partnership",
    "training",
    "budget",
    "review",
]


def build():
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from casestudies.models import CaseStudy, Point, Status, Topic
    from councils.models import Council

    if CaseStudy.objects.exists() if _migrated(connection) else False:
        sys.exit("The benchmark needs an empty database; this one has case studies already.")
    call_command("migrate", verbosity=0)
    call_command("load_seed_content", verbosity=0)
    councils = list(Council.objects.all())
    topics = list(Topic.objects.all())
    rng = random.Random(2024)
    created = []
    for number in range(CASE_STUDIES):
        council = rng.choice(councils)
        words = rng.sample(WORDS, 6)
        created.append(
            CaseStudy(
                title=f"{LABEL} {words[0].title()} {words[1]} {number}",
                slug=f"synthetic-benchmark-{number}",
                standfirst=f"{LABEL} A made-up example about {words[2]} and {words[3]}.",
                narrative=" ".join(rng.choice(WORDS) for _ in range(300)),
                region_id=council.region_id,
                status=Status.PUBLISHED,
                stage=rng.choice(CaseStudy.Stage.values),
            )
        )
    CaseStudy.objects.bulk_create(created, batch_size=500)
    created = list(CaseStudy.objects.filter(slug__startswith="synthetic-benchmark-"))
    council_links, topic_links, points = [], [], []
    for case_study in created:
        council_links.append(
            CaseStudy.councils.through(casestudy=case_study, council=rng.choice(councils))
        )
        for topic in rng.sample(topics, 3):
            topic_links.append(CaseStudy.topics.through(casestudy=case_study, topic=topic))
        for order in range(1, 4):
            points.append(Point(case_study=case_study, kind="learning", order=order, text=LABEL))
    CaseStudy.councils.through.objects.bulk_create(council_links, batch_size=1000)
    CaseStudy.topics.through.objects.bulk_create(topic_links, batch_size=1000)
    Point.objects.bulk_create(points, batch_size=1000)
    CaseStudy.objects.all().refresh_search_vector()
    return connection.vendor, CaseStudy.objects.published().count()


def _migrated(connection):
    return "casestudies_casestudy" in connection.introspection.table_names()


def measure():
    from django.test import Client

    from casestudies.models import CaseStudy

    client = Client()
    detail = CaseStudy.objects.get(slug="synthetic-benchmark-1").get_absolute_url()
    pages = {
        "list": "/case-studies/",
        "filtered list": "/case-studies/?topic=carers&region=east-of-england",
        "search": "/case-studies/?q=carers+strategy",
        "search + filter": "/case-studies/?q=%22carers+strategy%22&region=east-of-england",
        "detail": detail,
        "council": "/councils/essex/",
    }
    missed = []
    print(f"{'page':<18}{'median ms':>10}{'p95 ms':>10}{'target':>10}")
    for name, url in pages.items():
        client.get(url)  # warm up
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        p95 = statistics.quantiles(times, n=20)[-1]
        target = TARGETS_MS[name]
        flag = "" if p95 <= target else "  MISSED"
        print(f"{name:<18}{statistics.median(times):>10.1f}{p95:>10.1f}{target:>10}{flag}")
        if p95 > target:
            missed.append(name)
    return missed


def main():
    vendor, total = build()
    print(f"Database: {vendor}; {total} published case studies ({CASE_STUDIES} synthetic).")
    missed = measure()
    if missed:
        print(f"Targets missed: {', '.join(missed)}")
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
