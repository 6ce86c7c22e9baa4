"""Compiled reports of case studies: the form for the list's filters and for an editor's
selection, and what the Word, PDF and web page versions hold, and never hold."""

import io
import sys

import docx
import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import CaseStudy, Contact, Point, Status
from tests.helpers import make_case_study

REPORT_URL = reverse("casestudies:report")
ADMIN_REPORT_URL = reverse("admin:casestudies_casestudy_compile_report")
CHANGELIST_URL = reverse("admin:casestudies_casestudy_changelist")


def word_text(response):
    document = docx.Document(io.BytesIO(response.content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def pdf_text(response):
    return "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )


def report_text(client, url, fmt, **fields):
    response = client.post(url, {"title": "A test report", "format": fmt, **fields})
    assert response.status_code == 200
    if fmt == "docx":
        assert response["Content-Disposition"] == 'attachment; filename="a-test-report.docx"'
        return word_text(response)
    if fmt == "pdf":
        assert response["Content-Type"] == "application/pdf"
        return pdf_text(response)
    return response.content.decode()


@pytest.fixture
def hidden_ones(essex):
    """A case study of Essex in each state the public never sees, each with a list."""
    made = {}
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        case_study = make_case_study(
            title=f"Hidden {status.label.lower()} work",
            region=essex.region,
            councils=[essex],
            status=status,
        )
        Point.objects.create(case_study=case_study, kind=Point.Kind.LEARNING, order=1, text="x")
        made[status] = case_study
    return made


# ------------------------------------------------------------------ from the public list


@pytest.mark.django_db
def test_list_page_links_to_a_report_of_the_same_filters(client, full_case_study):
    response = client.get(reverse("casestudies:list"), {"topic": "carers"})
    assert f'href="{REPORT_URL}?topic=carers">Make a report of these case studies' in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_form_names_the_filters_in_its_title_and_counts_the_case_studies(client, full_case_study):
    response = client.get(REPORT_URL, {"topic": "carers"})
    html = response.content.decode()
    assert 'value="Co-production case studies: Topic: Support for carers"' in html
    assert "The report will hold 1 published case study" in html
    assert f'href="{reverse("casestudies:list")}?topic=carers"' in html  # back, filters kept


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_report_holds_only_published_case_studies_and_publishable_contacts(
    client, full_case_study, hidden_ones, fmt
):
    full_case_study.editor_notes = "An editor's private note."
    full_case_study.save()
    text = report_text(client, REPORT_URL, fmt)
    assert "Redesign of direct payment support" in text
    assert "Jo Example" in text
    assert "Private Person" not in text  # no consent
    assert "private.person" not in text
    assert "Hidden" not in text  # draft, in review, archived
    assert "private note" not in text  # editor notes
    assert "domain wrongly" not in text  # the content note is for editors
    if fmt != "pdf":  # the PDF draws the same page; its text breaks lines
        assert "What were the enablers?" in text  # the case study's own heading
        assert "What was the learning that supported success?" in text  # the default one
        assert "A test report on co-production, A test publisher, 2023, pages 35-38" in text


@pytest.mark.django_db
def test_report_keeps_to_the_filters(client, full_case_study, shropshire):
    other = make_case_study(
        title="Shropshire listens", region=shropshire.region, councils=[shropshire]
    )
    Point.objects.create(case_study=other, kind=Point.Kind.LEARNING, order=1, text="Listen.")
    url = f"{REPORT_URL}?region=west-midlands"
    text = report_text(client, url, "docx")
    assert "Shropshire listens" in text
    assert "Redesign of direct payment support" not in text


@pytest.mark.django_db
def test_a_list_longer_than_the_limit_asks_to_narrow_it(client, settings, full_case_study, essex):
    make_case_study(title="Second Essex work", region=essex.region, councils=[essex])
    settings.COMPILED_REPORT_MAX_CASE_STUDIES = 1
    response = client.get(REPORT_URL)
    html = response.content.decode()
    assert "This list has 2 case studies. A report can hold at most 1." in html
    assert "<form" not in html.split('id="main-content"')[-1]
    response = client.post(REPORT_URL, {"title": "Too many", "format": "docx"})
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_compiling_takes_the_same_queries_for_3_and_10_case_studies(
    client, django_assert_num_queries, essex, publication
):
    def compile_with(count):
        CaseStudy.objects.all().delete()
        for number in range(count):
            case_study = make_case_study(
                title=f"Case study {number}",
                region=essex.region,
                councils=[essex],
                publication=publication,
            )
            Point.objects.create(
                case_study=case_study, kind=Point.Kind.LEARNING, order=1, text="Listen."
            )
            Contact.objects.create(
                case_study=case_study,
                order=1,
                name=f"Person {number}",
                email="p@example.org",
                consent=Contact.Consent.GIVEN,
            )
        response = client.post(REPORT_URL, {"title": "Counted", "format": "docx"})
        text = word_text(response)
        assert all(f"Person {number} – p@example.org" in text for number in range(count))

    compile_with(3)
    with django_assert_num_queries(11):
        client.post(REPORT_URL, {"title": "Counted", "format": "docx"})
    compile_with(10)
    with django_assert_num_queries(11):
        client.post(REPORT_URL, {"title": "Counted", "format": "docx"})


@pytest.mark.django_db
def test_without_weasyprint_the_form_says_pdf_is_not_available(
    client, monkeypatch, full_case_study
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint fails
    html = client.get(REPORT_URL).content.decode()
    assert "PDF is not available on this server" in html
    assert 'value="pdf"' not in html
    response = client.post(REPORT_URL, {"title": "A report", "format": "pdf"})
    assert "Choose one of the formats offered" in response.content.decode()
    assert "Word document" in response.content.decode()


# ------------------------------------------------------------------ an editor's selection


def run_action(client, case_studies):
    return client.post(
        CHANGELIST_URL,
        {"action": "compile_report", "_selected_action": [c.pk for c in case_studies]},
    )


@pytest.mark.django_db
def test_lead_selection_leaves_out_drafts_and_says_why(
    client, lead_east, full_case_study, hidden_ones
):
    client.force_login(lead_east)
    response = run_action(client, [full_case_study, *hidden_ones.values()])
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "3 of the case studies you selected are left out" in html
    assert "“Hidden draft work”: not published (it is draft)" in html
    assert "“Hidden archived work”: not published (it is archived)" in html
    assert "The report will hold 1 published case study" in html
    text = report_text(client, response["Location"], "docx")
    assert "Redesign of direct payment support" in text
    assert "Hidden" not in text


@pytest.mark.django_db
def test_officer_cannot_compile_case_studies_they_cannot_see(
    client, officer_essex, shropshire, full_case_study
):
    elsewhere = make_case_study(
        title="Shropshire listens", region=shropshire.region, councils=[shropshire]
    )
    client.force_login(officer_essex)
    url = f"{ADMIN_REPORT_URL}?ids={full_case_study.pk},{elsewhere.pk}"
    text = report_text(client, url, "docx")
    assert "Redesign of direct payment support" in text
    assert "Shropshire listens" not in text


@pytest.mark.django_db
def test_the_action_is_offered_to_editors_who_see_the_list_and_to_no_one_else(
    client, officer_essex, full_case_study, django_user_model
):
    client.force_login(officer_essex)
    assert (
        "Compile a report of the selected case studies"
        in client.get(CHANGELIST_URL).content.decode()
    )
    client.logout()
    response = client.get(f"{ADMIN_REPORT_URL}?ids={full_case_study.pk}")
    assert response.status_code == 302 and "/login/" in response["Location"]
    visitor = django_user_model.objects.create(username="visitor", is_staff=True)  # no role
    client.force_login(visitor)
    assert client.get(f"{ADMIN_REPORT_URL}?ids={full_case_study.pk}").status_code == 403


# ------------------------------------------------------------------ the PDF of a region


@pytest.mark.django_db
def test_pdf_of_the_east_of_england_collection(client):
    from casestudies.compiled.content import build_report

    call_command("load_seed_content", verbosity=0)
    collection = "putting-people-at-the-heart-of-care-and-support"
    east = CaseStudy.objects.published().filter(publication__slug=collection)
    titles = sorted(east.values_list("title", flat=True))
    assert len(titles) == 26
    groups = [group.heading for group in build_report(east, title="x").groups]
    response = client.post(
        f"{REPORT_URL}?publication={collection}", {"title": "East of England", "format": "pdf"}
    )
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points

    def outline(items):
        for item in items:
            if isinstance(item, list):
                yield from outline(item)
            else:
                yield item.title, reader.get_destination_page_number(item)

    bookmarks = list(outline(reader.outline))
    named = [title for title, _page in bookmarks]
    assert named[:2] == ["East of England", "Contents"]  # the cover, then the contents
    contents_page = bookmarks[1][1]
    assert sorted(title for title in named if title in titles) == titles  # each one once
    # Each council's case studies start on a page of their own, after the contents.
    body_groups = [(title, page) for title, page in bookmarks[2:] if page > contents_page]
    body_groups = [(title, page) for title, page in body_groups if title in groups]
    assert [title for title, _page in body_groups] == groups  # the councils, in order
    group_pages = [page for _title, page in body_groups]
    assert group_pages[0] == contents_page + 1
    assert group_pages == sorted(set(group_pages))
    last = len(reader.pages)
    assert last >= 2 + len(groups)
    assert last > group_pages[-1]
    assert f"Page 2 of {last}" in reader.pages[1].extract_text()
    assert f"Page {last} of {last}" in reader.pages[-1].extract_text()
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged


@pytest.mark.django_db
def test_a_report_without_a_title_is_refused_with_a_link_to_the_field(client, full_case_study):
    html = client.post(REPORT_URL, {"title": "", "format": "docx"}).content.decode()
    assert '<a href="#id_title">Enter a title for the report</a>' in html
    assert "<title>Error: Make a report" in html


# ------------------------------------------------------------------ after review


@pytest.fixture
def listening_server():
    """A web server on this machine that records the paths asked of it."""
    import http.server
    import threading

    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_pdf_fetches_no_address_a_story_names(client, full_case_study, listening_server):
    address, asked = listening_server
    full_case_study.narrative += f"\n\n![A picture]({address}/secret.png)\n"
    full_case_study.save()
    text = report_text(client, REPORT_URL, "pdf")
    assert "Redesign of direct payment support" in text  # the PDF is still made
    assert asked == []


def test_pdf_fetcher_serves_the_portals_static_files_and_data_only(settings):
    from casestudies.compiled.pdf import STYLESHEET, url_fetcher

    fetcher = url_fetcher()
    own = fetcher(f"{settings.SITE_URL}/{settings.STATIC_URL}{STYLESHEET}")
    assert b"@page" in own.read()
    own.close()
    assert fetcher("data:text/plain,hello").read() == b"hello"
    for refused in (
        "http://127.0.0.1:1/static/css/compiled-report.css",
        f"{settings.SITE_URL}/admin/",
        "file:///etc/passwd",
        f"{settings.SITE_URL}/{settings.STATIC_URL}../../etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher(refused)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_control_characters_are_left_out_of_a_report(client, full_case_study, fmt):
    full_case_study.standfirst = "What\x0b happened."
    full_case_study.save()
    Point.objects.create(
        case_study=full_case_study, kind=Point.Kind.LEARNING, order=9, text="Bell\x07 rang."
    )
    response = client.post(
        REPORT_URL, {"title": "A\x01B", "introduction": "Intro\x02duction", "format": fmt}
    )
    assert response.status_code == 200
    text = (
        word_text(response)
        if fmt == "docx"
        else pdf_text(response)
        if fmt == "pdf"
        else (response.content.decode())
    )
    assert "AB" in text
    if fmt != "pdf":
        assert "Introduction" in text
        assert "What happened." in text
        assert "Bell rang." in text


@pytest.mark.django_db
def test_admin_form_goes_back_to_the_case_study_list_not_the_referrer(
    client, lead_east, full_case_study
):
    client.force_login(lead_east)
    response = client.get(
        f"{ADMIN_REPORT_URL}?ids={full_case_study.pk}", HTTP_REFERER="https://evil.example.org/"
    )
    html = response.content.decode()
    assert f'<a class="govuk-back-link" href="{CHANGELIST_URL}">' in html
    assert "evil.example.org" not in html


@pytest.mark.django_db
def test_report_form_and_page_have_no_canonical_link(client, full_case_study):
    form = client.get(REPORT_URL, {"topic": "carers"}).content.decode()
    page = client.post(REPORT_URL, {"title": "A report", "format": "html"}).content.decode()
    for html in (form, page):
        assert 'rel="canonical"' not in html


@pytest.mark.django_db
def test_form_title_names_the_filters_in_three_queries(
    client, full_case_study, django_assert_num_queries
):
    with django_assert_num_queries(3):  # the topic checked, then named; the count
        response = client.get(REPORT_URL, {"topic": "carers"})
    assert (
        'value="Co-production case studies: Topic: Support for carers"' in response.content.decode()
    )


@pytest.mark.django_db
def test_a_format_not_offered_is_shown_at_the_radios(client, full_case_study):
    html = client.post(
        REPORT_URL, {"title": "A report", "format": "exe", "introduction": "x" * 5001}
    ).content.decode()
    assert (
        '<p class="govuk-error-message" id="format-error"><span class="govuk-visually-hidden">'
        "Error:</span> Choose one of the formats offered</p>"
    ) in html
    assert 'aria-describedby="format-error"' in html
    assert 'class="govuk-textarea govuk-textarea--error"' in html
    assert 'aria-describedby="introduction-hint introduction-error"' in html
    assert 'id="introduction-error"' in html


@pytest.mark.django_db
def test_a_refused_form_keeps_the_format_chosen(client, full_case_study):
    html = client.post(REPORT_URL, {"title": "", "format": "html"}).content.decode()
    assert 'type="radio" value="html" checked' in html


@pytest.mark.django_db
def test_pdf_is_offered_only_for_short_lists(client, settings, full_case_study, essex):
    make_case_study(title="Second Essex work", region=essex.region, councils=[essex])
    settings.COMPILED_REPORT_MAX_PDF_CASE_STUDIES = 1
    html = client.get(REPORT_URL).content.decode()
    assert 'value="pdf"' not in html
    assert "A PDF can be made of at most 1 case study." in html
    refused = client.post(REPORT_URL, {"title": "Two", "format": "pdf"})
    assert refused["Content-Type"].startswith("text/html")
    assert "Choose one of the formats offered" in refused.content.decode()
    settings.COMPILED_REPORT_MAX_PDF_CASE_STUDIES = 2
    assert 'value="pdf"' in client.get(REPORT_URL).content.decode()


@pytest.mark.django_db
def test_reports_made_from_one_address_are_limited(client, settings, full_case_study):
    settings.COMPILED_REPORT_RATE_LIMIT = "2/hour"
    form = {"title": "A report", "format": "html"}
    for _ in range(2):
        assert client.post(REPORT_URL, form, REMOTE_ADDR="192.0.2.1").status_code == 200
    refused = client.post(REPORT_URL, form, REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    assert "You have made a lot of reports in a short time" in refused.content.decode()
    assert client.get(REPORT_URL, REMOTE_ADDR="192.0.2.1").status_code == 200  # reading is free
    assert client.post(REPORT_URL, form, REMOTE_ADDR="192.0.2.2").status_code == 200
