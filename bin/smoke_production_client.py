"""HTTP client of the production smoke test (bin/smoke-production starts the server for it).

It plays the TLS-terminating proxy of docs/deploy.md: every request goes to gunicorn's plain
HTTP port with ``Host: <public host>`` and ``X-Forwarded-Proto: https``, and the cookies marked
``Secure`` are sent back (the browser's side of the connection is HTTPS). Standard library
only, plus WeasyPrint (through the demo's renderer) for the uploaded PDF.

    smoke_production_client.py pages  --base URL --host HOST --manifest reviewing.json
    smoke_production_client.py upload --base URL --host HOST --manifest submission.json \
        --mail-dir DIR
"""

import argparse
import hashlib
import html
import json
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mlsys-demo-2027"  # every demo account's (docs/demo.md)
#: Text that must not appear on a page that answered 200: Django's debug pages, our own error
#: pages, and template mistakes left unrendered.
ERROR_TEXT = [
    "Traceback",
    "Server Error",
    "Something went wrong on our side",
    "Page not found",
    "You can't do this",
    "Using the URLconf",
    "TemplateSyntaxError",
    "{%",
    "{{",
]


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes, url: str):
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """One visitor: a cookie jar, behind the HTTPS proxy."""

    def __init__(self, base: str, host: str):
        self.base = base.rstrip("/")
        self.host = host
        self.origin = f"https://{host}"
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirects)

    def request(
        self,
        path: str,
        *,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        https: bool = True,
    ) -> Response:
        all_headers = {"Host": self.host, "User-Agent": "mlsys-smoke/1"}
        if https:
            all_headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            all_headers["Origin"] = self.origin
            all_headers["Referer"] = self.origin + path
        all_headers.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, headers=all_headers)
        try:
            with self.opener.open(req, timeout=60) as raw:
                response = Response(raw.status, raw.headers, raw.read(), path)
        except urllib.error.HTTPError as error:
            response = Response(error.code, error.headers, error.read(), path)
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)  # a deletion carries no value to protect
                    continue
                if https:
                    check(morsel["secure"], f"cookie {name} from {path} is not marked Secure")
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request(path, **kwargs)

    def post(self, path: str, fields: dict[str, str]) -> Response:
        body = urllib.parse.urlencode(fields).encode()
        return self.request(
            path, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )

    def page(self, path: str, *expected: str) -> Response:
        """GET a page that must answer 200 with each of ``expected`` and no error text."""
        response = self.get(path)
        check(response.status == 200, f"{path}: status {response.status}, expected 200")
        text = response.text
        for bad in ERROR_TEXT:
            check(bad not in text, f"{path}: the page contains {bad!r}")
        for good in expected:
            check(good in text, f"{path}: the page lacks {good!r}")
        print(f"  200 {path}")
        return response

    def login(self, email: str) -> None:
        form = self.page("/accounts/login/", "Log in")
        token = csrf_token(form.text)
        response = self.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
        )
        check(
            response.status == 302 and response.headers["Location"] == "/",
            f"login as {email}: status {response.status} "
            f"to {response.headers.get('Location')!r}, expected a redirect to /",
        )
        check("sessionid" in self.cookies, f"login as {email}: no session cookie")
        print(f"  logged in as {email}")


def csrf_token(text: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    check(match is not None, "no CSRF token in the form")
    return match.group(1)


def attribute(text: str, pattern: str, what: str) -> str:
    match = re.search(pattern, text)
    check(match is not None, f"no {what} in the page")
    return html.unescape(match.group(1))


# --- pages ------------------------------------------------------------------------------------


def check_server(base: str, host: str) -> None:
    anonymous = Browser(base, host)
    health = anonymous.get("/healthz", https=False, headers={"Host": "127.0.0.1"})
    check(health.status == 200, f"/healthz: status {health.status}: {health.text[:300]}")
    report = json.loads(health.body)
    check(report["database"].get("vendor") == "postgresql", f"/healthz: {report}")
    check(report["pages"].get("ok") is True, f"/healthz: {report}")
    # The monitor's report: the broker, and the heartbeat beat sends to the worker every 5 s
    # here (it may take a few beats after start-up to arrive).
    deadline = time.monotonic() + 60
    while True:
        full = anonymous.get("/healthz?full=1", https=False, headers={"Host": "127.0.0.1"})
        full_report = json.loads(full.body)
        if full.status == 200 or time.monotonic() > deadline:
            break
        time.sleep(2)
    check(full.status == 200, f"/healthz?full=1: status {full.status}: {full_report}")
    check(full_report["broker"].get("mode") == "redis", f"/healthz?full=1: {full_report}")
    check(full_report["workers"].get("ok") is True, f"/healthz?full=1: {full_report}")
    print("  /healthz: PostgreSQL and pages; ?full=1: Redis, the worker's heartbeat from beat")

    plain = anonymous.get("/", https=False)
    check(
        plain.status == 301 and plain.headers["Location"] == f"https://{host}/",
        f"plain HTTP: status {plain.status}, expected a redirect to https",
    )
    home = anonymous.page("/", "MLSys 2027")
    hsts = home.headers.get("Strict-Transport-Security", "")
    check("max-age=31536000" in hsts, f"no HSTS header on /: {hsts!r}")
    check(home.headers.get("X-Frame-Options") == "DENY", "/ may be framed")
    print("  plain HTTP redirects to HTTPS; HSTS and X-Frame-Options: DENY are sent")

    # DEBUG is off: the site's own 404 page, not Django's technical one.
    missing = anonymous.get("/no-such-page/")
    check(missing.status == 404, f"/no-such-page/: status {missing.status}")
    check("Page not found" in missing.text, "the 404 page is not the site's own")
    check("Using the URLconf" not in missing.text, "the 404 page is Django's debug page")
    print("  404 /no-such-page/ is the custom page (DEBUG is off)")

    # The hardened headers (docs/reliability.md, "Production settings").
    policy = home.headers.get("Content-Security-Policy", "")
    check("script-src 'self'" in policy, f"no strict script-src on /: {policy!r}")
    check("unsafe-inline" not in policy and "unsafe-eval" not in policy, policy)
    check("frame-ancestors 'none'" in policy, f"the policy allows framing: {policy!r}")
    check(home.headers.get("Cross-Origin-Opener-Policy") == "same-origin", "no COOP on /")
    cookies = home.headers.get_all("Set-Cookie") or []
    check(all("Secure" in c for c in cookies), f"a cookie without Secure: {cookies}")
    # Errors under /api/ are JSON in the API's shape, even for an unknown address.
    api_missing = anonymous.get("/api/v1/no-such-endpoint/")
    check(api_missing.status == 404, f"/api/v1/no-such-endpoint/: status {api_missing.status}")
    check(
        api_missing.headers.get("Content-Type") == "application/json"
        and json.loads(api_missing.text)["error"]["code"] == "not_found",
        f"the API's 404 is not its JSON error: {api_missing.text[:200]!r}",
    )
    # A body over MAX_REQUEST_BYTES is refused on its headers: 413 before it is sent.
    too_large = anonymous.request(
        "/accounts/login/",
        data=b"",
        headers={"Content-Length": str(200 * 1024 * 1024), "Content-Type": "text/plain"},
    )
    check(too_large.status == 413, f"a 200 MB Content-Length got {too_large.status}")
    check("That upload is too large" in too_large.text, "the 413 page is not the site's own")
    print("  CSP (no unsafe-inline), COOP, Secure cookies; API 404 in JSON; 413 on the headers")

    # Static files: hashed names from the manifest, served (compressed) by WhiteNoise.
    css = attribute(home.text, r'<link rel="stylesheet" href="([^"]+)"', "stylesheet")
    check(re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", css) is not None, css)
    response = anonymous.get(css, headers={"Accept-Encoding": "gzip"})
    check(response.status == 200, f"{css}: status {response.status}")
    check(response.headers.get("Content-Encoding") == "gzip", f"{css} is not compressed")
    check("immutable" in response.headers.get("Cache-Control", ""), f"{css} is not immutable")
    katex_css = attribute(home.text, r'data-katex-css="([^"]+)"', "KaTeX stylesheet")
    katex = anonymous.get(katex_css)
    check(katex.status == 200, f"{katex_css}: status {katex.status}")
    font = re.search(r'url\("?(fonts/KaTeX_Main-Regular\.[0-9a-f]{12}\.woff2)"?\)', katex.text)
    check(font is not None, "the KaTeX stylesheet names no hashed font")
    font_path = katex_css.rsplit("/", 1)[0] + "/" + font.group(1)
    response = anonymous.get(font_path)
    check(response.status == 200 and response.body[:4] == b"wOF2", f"{font_path} is no font")
    print(f"  static: {css} (gzip), {font_path}")

    icon = anonymous.get("/favicon.ico")
    check(icon.status == 302, f"/favicon.ico: status {icon.status}")
    location = icon.headers["Location"]
    response = anonymous.get(location)
    check(response.status == 200 and response.body[:4] == b"\0\0\1\0", f"{location} is no icon")
    print(f"  /favicon.ico -> {location}")


def account(manifest: dict, test) -> dict:
    found = next((a for a in manifest["accounts"] if test(a)), None)
    check(found is not None, "the demo manifest lacks an account the smoke test needs")
    return found


def check_pages(base: str, host: str, manifest: dict) -> None:
    slug = manifest["conference"]
    c = f"/c/{slug}"
    check_server(base, host)

    chair = account(manifest, lambda a: "program_chair" in a["roles"])
    print(f"chair ({chair['email']})")
    b = Browser(base, host)
    b.login(chair["email"])
    b.page("/", "MLSys 2027", chair["name"].split()[0])
    b.page(f"{c}/", "MLSys 2027")
    b.page(f"{c}/submissions/manage/", "Submissions")
    b.page(f"{c}/reviews/assignment/", "ssignment")
    b.page(f"{c}/reviews/progress/", "rogress")
    b.page(f"{c}/committee/", "ommittee")
    b.page(f"{c}/settings/")
    b.page(f"{c}/submissions/1/manage/")
    for path, text in (  # the end of the conference (issue 11)
        ("decisions/", "Decisions"),
        ("decisions/plots/", "plots"),
        ("decisions/threshold/", "Threshold"),
        ("decisions/meeting/", "meeting"),
        ("decisions/release/", "elease"),
        ("decisions/letters/", "letters"),
        ("decisions/camera-ready/", "Camera-ready"),
        ("decisions/proceedings/", "Proceedings"),
    ):
        b.page(f"{c}/{path}", text)
    b.page("/profile/", chair["email"])

    reviewer = account(
        manifest, lambda a: "pc_member" in a["roles"] and a["assigned"] and a["side"] == "ML"
    )
    number = reviewer["assigned"][0]
    print(f"PC member ({reviewer['email']}, reviews #{number})")
    b = Browser(base, host)
    b.login(reviewer["email"])
    b.page("/", "MLSys 2027")
    b.page(f"{c}/reviews/my-papers/")
    review = b.page(f"{c}/reviews/{number}/review/", f"#{number}")
    pdf = attribute(review.text, r'<object class="pdf-viewer" data="([^"]+)"', "embedded PDF")
    response = b.get(pdf)
    check(response.status == 200, f"{pdf}: status {response.status}")
    check(response.body.startswith(b"%PDF-"), f"{pdf} is not a PDF")
    check(response.headers.get("X-Frame-Options") == "SAMEORIGIN", f"{pdf} cannot be embedded")
    print(f"  200 {pdf} (the paper, embeddable in the review page)")
    b.page(f"{c}/reviews/{number}/")
    b.page(f"{c}/reviews/bidding/")
    b.page(f"{c}/reviews/profile/")
    b.page("/profile/", reviewer["email"])

    authors = {a["email"] for s in manifest["submissions"] for a in s["authors"]}
    author = account(manifest, lambda a: a["roles"] == ["author"] and a["email"] in authors)
    paper = next(
        s for s in manifest["submissions"] if author["email"] in {a["email"] for a in s["authors"]}
    )
    print(f"author ({author['email']}, paper #{paper['number']})")
    b = Browser(base, host)
    b.login(author["email"])
    b.page("/", "MLSys 2027")
    b.page(f"{c}/submissions/mine/", paper["title"])
    b.page(f"{c}/submissions/{paper['number']}/", paper["title"])
    b.page("/profile/", author["email"])


def check_artifacts(base: str, host: str, manifest: dict) -> None:
    """Issue 12's pages on the demo's artifacts phase: the AE chair's, an evaluator's, an author's
    artifact and stamped PDF, and the public results page."""
    slug = manifest["conference"]
    c = f"/c/{slug}/artifacts"
    check_server(base, host)
    published = [s for s in manifest["submissions"] if s.get("artifact") == "published"]
    check(bool(published), "the demo has no published artifact")

    ae_chair = account(manifest, lambda a: "ae_chair" in a["roles"])
    print(f"AE chair ({ae_chair['email']})")
    b = Browser(base, host)
    b.login(ae_chair["email"])
    for path, text in (
        ("overview/", "rtifacts"),
        ("setup/", "ettings"),
        ("setup/badges/", "Artifacts Available"),
        ("committee/", "valuator"),
        ("assignment/", "ssign"),
        (f"{published[0]['number']}/", published[0]["title"]),
        ("results/export/?format=json", "badges"),
    ):
        b.page(f"{c}/{path}", text)

    evaluator = account(manifest, lambda a: bool(a.get("evaluates")))
    number = evaluator["evaluates"][0]
    print(f"AE evaluator ({evaluator['email']}, evaluates #{number})")
    b = Browser(base, host)
    b.login(evaluator["email"])
    b.page(f"{c}/mine/", f"#{number}")
    b.page(f"{c}/bidding/")
    b.page(f"{c}/hardware/", "GPU")
    b.page(f"{c}/{number}/", "Evaluator")

    paper = published[0]
    author = account(manifest, lambda a: a["email"] in {x["email"] for x in paper["authors"]})
    print(f"author ({author['email']}, artifact of #{paper['number']})")
    b = Browser(base, host)
    b.login(author["email"])
    page = b.page(f"{c}/{paper['number']}/", paper["title"])
    stamped = attribute(page.text, r'href="(/files/stamped-paper/[0-9]+/)"', "stamped PDF link")
    response = b.get(stamped)
    check(response.status == 200, f"{stamped}: status {response.status}")
    check(response.body.startswith(b"%PDF-"), f"{stamped} is not a PDF")
    print(f"  200 {stamped} (the camera-ready with its badges)")

    print("visitor")
    b = Browser(base, host)
    b.page(f"{c}/results/", paper["title"])
    b.page(f"{c}/results/{paper['number']}/", paper["title"])


# --- upload -----------------------------------------------------------------------------------


def render_pdf() -> bytes:
    """A short anonymous two-column paper, rendered with WeasyPrint by the demo's renderer."""
    sys.path.insert(0, str(ROOT))
    from demo.pdfs import PaperSpec, render_paper

    words = (
        "We measure how batching, operator fusion and memory planning interact when a model "
        "is served on shared accelerators, and report latency and throughput for each setting."
    )
    spec = PaperSpec(
        title="Smoke Testing the Serving Path of Large Models",
        abstract=words,
        sections=[(name, [words] * 6) for name in ("Introduction", "Design", "Evaluation")],
        references=["A. Author. A reference. In Proceedings of MLSys, 2026."],
        figure_caption="Throughput of each configuration.",
    )
    return render_paper(spec)


def multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = f"----mlsys-smoke-{secrets.token_hex(8)}"
    parts = []
    for key, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{key}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def check_upload(base: str, host: str, manifest: dict, mail_dir: Path, timeout: float) -> None:
    slug = manifest["conference"]
    c = f"/c/{slug}"
    editable = [s for s in manifest["submissions"] if s["status"] in ("draft", "submitted")]
    check(bool(editable), "the demo has no paper its authors can still edit")
    paper = editable[0]
    email = paper["authors"][0]["email"]
    number = paper["number"]
    print(f"author ({email}, paper #{number})")
    b = Browser(base, host)
    b.login(email)
    detail = b.page(f"{c}/submissions/{number}/", paper["title"])
    action = f"{c}/submissions/{number}/upload/paper/"
    check(f'action="{action}"' in detail.text, "no paper upload form on the submission page")

    pdf = render_pdf()
    digest = hashlib.sha256(pdf).hexdigest()
    body, content_type = multipart(
        {"csrfmiddlewaretoken": csrf_token(detail.text)}, "file", "smoke-paper.pdf", pdf
    )
    response = b.request(action, data=body, headers={"Content-Type": content_type})
    errors = re.findall(r"errorlist[^<]*<li>([^<]+)", response.text)
    check(response.status == 302, f"upload: status {response.status}: {errors}")
    print(f"  uploaded smoke-paper.pdf ({len(pdf)} bytes, SHA-256 {digest[:16]}…)")

    api = f"/api/v1/conferences/{slug}/submissions/{number}/files/"
    deadline = time.monotonic() + timeout
    status = "pending"
    while True:
        files = json.loads(b.page(api).body)
        rows = files["results"] if isinstance(files, dict) else files
        mine = [f for f in rows if f["sha256"] == digest]
        check(len(mine) == 1, f"{api}: the uploaded file is not listed")
        status = mine[0]["check_status"]
        if status != "pending":
            break
        check(time.monotonic() < deadline, f"the worker did not check the PDF in {timeout:.0f} s")
        time.sleep(1)
    check(status in ("passed", "warnings"), f"the PDF check ended {status!r}: {mine[0]['report']}")
    report = b.page(f"{c}/submissions/{number}/report/", "smoke-paper.pdf")
    check("Checking…" not in report.text, "the report page still says Checking…")
    print(f"  the worker checked it: {status}, {mine[0]['pages']} pages")

    # The authors' receipt goes through the outbox and the worker's mail task.
    while True:
        sent = [p for p in mail_dir.glob("*.log") if digest in p.read_text(errors="replace")]
        if sent:
            break
        check(time.monotonic() < deadline, f"no receipt email in {mail_dir} in {timeout:.0f} s")
        time.sleep(1)
    receipt = sent[0].read_text(errors="replace")
    check(email in receipt, f"the receipt email is not addressed to {email}")
    subject = re.search(r"^Subject: (.*)$", receipt, re.M)
    print(f"  the worker sent the receipt: {subject.group(1) if subject else '?'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=["pages", "artifacts", "upload"])
    parser.add_argument("--base", required=True, help="gunicorn's address, http://127.0.0.1:PORT")
    parser.add_argument("--host", required=True, help="the public host name")
    parser.add_argument("--manifest", type=Path, required=True, help="seed_demo's manifest")
    parser.add_argument("--mail-dir", type=Path, help="EMAIL_URL's filemail directory (upload)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for a check")
    args = parser.parse_args()
    manifest = json.loads(args.manifest.read_text())
    if args.stage == "upload" and args.mail_dir is None:
        parser.error("the upload stage needs --mail-dir")
    try:
        if args.stage == "pages":
            check_pages(args.base, args.host, manifest)
        elif args.stage == "artifacts":
            check_artifacts(args.base, args.host, manifest)
        else:
            check_upload(args.base, args.host, manifest, args.mail_dir, args.timeout)
    except SmokeFailure as failure:
        print(f"smoke: FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
