"""Every page the demo's people reach works under the Content-Security-Policy.

A small crawler: for each role of the seeded demo (program chair, AE chair, PC members of both
sides, an author, a visitor, a superuser in the Django admin) it follows the links of the pages
it is shown, from the home page and the conference page, plus the pages no link leads to
(library pages: the API docs, the browsable API, allauth's forms, the error pages). Every HTML
response must carry a policy without 'unsafe-inline'/'unsafe-eval' and contain no inline code
the policy would block (tests/html_checks.inline_code). New pages are covered as soon as a page
links them.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from mlsys.accounts.models import User
from mlsys.conferences import enums
from tests.html_checks import csp_header_problems, inline_code

pytestmark = pytest.mark.django_db

#: Pages per role: enough to reach every kind of page; lists repeat the same templates.
MAX_PAGES = 300
#: Links the crawler leaves alone: downloads (PDFs, CSV exports) and leaving the site.
SKIP_PREFIXES = ("/accounts/logout/", "/files/", "/static/", "/favicon.ico")
SKIP_WORDS = ("export", "download", ".csv", ".zip", ".pdf", "/pdf/")
#: Pages no link leads to (or only for some roles): asked for explicitly.
LIBRARY_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/api/docs/",
    "/no-such-page/",
]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _site_links(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.links:
        href = urldefrag(href)[0]
        if href.startswith("?"):
            href = urlsplit(base).path + href
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/"):
            continue
        if href.startswith(SKIP_PREFIXES) or any(w in href.lower() for w in SKIP_WORDS):
            continue
        links.append(href)
    return links


def _page_key(url: str) -> str:
    """One visit per path and set of query names (page=2 and page=3 render the same code)."""
    parts = urlsplit(url)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return parts.path + ("?" + "&".join(names) if names else "")


def crawl(client: Client, starts: list[str], *, at_least: int) -> dict[str, list[str]]:
    """Problems by URL, after asserting that at least ``at_least`` HTML pages were seen."""
    queue = deque(starts)
    seen: set[str] = set()
    problems: dict[str, list[str]] = {}
    html_pages = 0
    while queue and html_pages < MAX_PAGES:
        url = queue.popleft()
        key = _page_key(url)
        if key in seen:
            continue
        seen.add(key)
        response = client.get(url, HTTP_ACCEPT="text/html")
        if not response["Content-Type"].startswith("text/html"):
            continue
        html_pages += 1
        html = response.content.decode()
        found = csp_header_problems(response.get("Content-Security-Policy"))
        found += inline_code(html)
        if found:
            problems[url] = found
        if response.status_code == 200:
            queue.extend(_site_links(html, url))
    assert html_pages >= at_least, f"only {html_pages} pages seen from {starts}: {sorted(seen)}"
    return problems


def _account(demo, predicate) -> User:
    email = next(a["email"] for a in demo["manifest"]["accounts"] if predicate(a))
    return User.objects.get(email=email)


#: Each role's account in the manifest, and how many distinct pages the crawl must reach.
ROLES = {
    "program chair": (lambda a: enums.Role.PROGRAM_CHAIR in a["roles"], 150),
    "AE chair": (lambda a: enums.Role.AE_CHAIR in a["roles"], 25),
    "PC member (ML)": (lambda a: a["side"] == enums.Side.ML and a["assigned"], 25),
    "PC member (Systems)": (lambda a: a["side"] == enums.Side.SYSTEMS and a["assigned"], 20),
    "author": (lambda a: a["roles"] == ["author"], 12),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_role_reaches_is_served_under_a_strict_policy(demo, role):
    client = Client()
    is_account, at_least = ROLES[role]
    client.force_login(_account(demo, is_account))
    conference = f"/c/{demo['manifest']['conference']}/"
    problems = crawl(client, ["/", conference, "/profile/", *LIBRARY_PAGES], at_least=at_least)
    assert not problems, problems


def test_a_visitor_sees_only_pages_under_a_strict_policy(demo):
    conference = f"/c/{demo['manifest']['conference']}/"
    problems = crawl(Client(), ["/", conference, *LIBRARY_PAGES], at_least=8)
    assert not problems, problems


def test_the_django_admin_and_the_browsable_api_work_under_the_policy(demo):
    admin = User.objects.create_superuser(email="root@example.org", password="x" * 12)
    client = Client()
    client.force_login(admin)
    conference = demo["manifest"]["conference"]
    problems = crawl(
        client,
        [
            "/admin/",
            "/api/v1/conferences/",
            f"/api/v1/conferences/{conference}/submissions/",
            "/api/v1/no-such-endpoint/",
        ],
        at_least=40,
    )
    assert not problems, problems


def test_redoc_which_needs_inline_styles_and_a_cdn_is_replaced_by_swagger_ui(demo):
    response = Client().get("/api/redoc/")
    assert response.status_code == 301
    assert response["Location"] == "/api/docs/"


def test_the_swagger_start_up_script_is_a_script_url_not_inline(demo):
    client = Client()
    page = client.get("/api/docs/")
    assert '<script src="/api/docs/?script="></script>' in page.content.decode()
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
