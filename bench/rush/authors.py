"""The simulated authors: each logs in, opens their submission page and uploads a PDF.

Every author is a thread with its own ``requests`` session; all start together behind a
barrier (the rush), talk to gunicorn on loopback only, and give up when the run's time limit
is reached. Each step's latency and status is recorded; an upload counts as acknowledged when
the server answers 2xx/3xx (the form redirects to the submission page on success), and the
redirect is followed as a browser would.

The PDF is rendered once with WeasyPrint (the demo's paper, plus a noise image that makes it
1–2 MB); each author's copy differs in a fixed-width keyword, so every sha256 is different.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import threading
import time
from dataclasses import dataclass, field

import requests

MARKER = b"RushAuthor000000"
STEPS = ("login", "page", "upload", "redirect")
#: How often an author told to try again later (503 + Retry-After) logs in again.
RETRIES = 2


def base_pdf(noise_px: int = 1100) -> bytes:
    """An anonymous two-column paper with a 1.2 MB incompressible figure and ``MARKER`` once."""
    from PIL import Image
    from weasyprint import HTML

    from demo.pdfs import PaperSpec, _resources, paper_html

    words = (
        "We measure how batching, operator fusion and memory planning interact when a model "
        "is served on shared accelerators, and report latency and throughput for each setting."
    )
    spec = PaperSpec(
        title="Uploading at the Deadline: A Measurement Study",
        abstract=words,
        sections=[(name, [words] * 6) for name in ("Introduction", "Design", "Evaluation")],
        references=["A. Author. A reference. In Proceedings of MLSys, 2026."],
        figure_caption="Throughput of each configuration.",
    )
    image = Image.frombytes("L", (noise_px, noise_px), os.urandom(noise_px * noise_px))
    png = io.BytesIO()
    image.save(png, format="PNG")
    figure = (
        '<figure><img style="width:3in" alt="" src="data:image/png;base64,'
        + base64.b64encode(png.getvalue()).decode()
        + '"><figcaption>Figure 2: Measured noise.</figcaption></figure>'
    )
    html = paper_html(spec).replace("<h2>References</h2>", figure + "<h2>References</h2>", 1)
    css, fonts = _resources()
    rendered = HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)
    # pypdf writes the document information as a plain (uncompressed) object.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(rendered)))
    writer.add_metadata({"/Keywords": MARKER.decode()})
    out = io.BytesIO()
    writer.write(out)
    pdf = out.getvalue()
    if pdf.count(MARKER) != 1:
        raise RuntimeError("the PDF's keyword marker is not stored once, uncompressed")
    return pdf


def author_pdf(base: bytes, index: int) -> bytes:
    """``base`` with this author's number in the marker: same length, so offsets stay valid."""
    return base.replace(MARKER, b"RushAuthor%06d" % index, 1)


@dataclass
class Step:
    name: str
    seconds: float
    status: int  # 0: no answer (connection error or timeout)
    note: str = ""
    retry_after: str = ""


def failed_retry_after(step: Step) -> str:
    return step.retry_after if step.retry_after.isdigit() else "30"


@dataclass
class Flow:
    index: int
    number: int
    email: str
    sha256: str = ""
    steps: list[Step] = field(default_factory=list)
    finished_at: float = 0.0
    login_retries: int = 0

    @property
    def acknowledged(self) -> bool:
        return any(s.name == "upload" and 200 <= s.status < 400 for s in self.steps)

    @property
    def complete(self) -> bool:
        return len(self.steps) == len(STEPS) and all(200 <= s.status < 400 for s in self.steps)


def csrf_token(text: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    return match.group(1) if match else ""


def error_of(response: requests.Response) -> str:
    found = re.findall(r"errorlist[^<]*<li>([^<]+)", response.text)
    return "; ".join(found)[:200] or response.reason or ""


class Rush:
    """Run ``len(authors)`` flows at once against ``base``; ``run()`` returns the flows."""

    def __init__(
        self,
        base: str,
        slug: str,
        authors: list[dict],
        password: str,
        pdf: bytes,
        time_limit: float,
        request_timeout: float = 120.0,
    ) -> None:
        self.base, self.slug, self.password, self.pdf = base, slug, password, pdf
        self.flows = [Flow(i, a["number"], a["email"]) for i, a in enumerate(authors)]
        self.time_limit, self.request_timeout = time_limit, request_timeout
        self.barrier = threading.Barrier(len(self.flows) + 1)
        self.started = 0.0
        self.deadline = 0.0

    def run(self) -> list[Flow]:
        threads = [
            threading.Thread(target=self.author, args=(flow,), daemon=True) for flow in self.flows
        ]
        for thread in threads:
            thread.start()
        self.started = time.monotonic()
        self.deadline = self.started + self.time_limit
        self.barrier.wait(timeout=60)
        for thread in threads:
            thread.join(timeout=max(0.0, self.deadline + 5 - time.monotonic()))
        return self.flows

    def timeout(self) -> float:
        return max(0.5, min(self.request_timeout, self.deadline - time.monotonic()))

    def step(self, flow: Flow, name: str, call) -> requests.Response | None:
        if time.monotonic() >= self.deadline:
            flow.steps.append(Step(name, 0.0, 0, "time limit"))
            return None
        started = time.monotonic()
        try:
            response = call()
        except requests.RequestException as error:
            flow.steps.append(Step(name, time.monotonic() - started, 0, type(error).__name__))
            return None
        flow.steps.append(Step(name, time.monotonic() - started, response.status_code))
        if response.status_code >= 400:
            flow.steps[-1].note = error_of(response)
            flow.steps[-1].retry_after = response.headers.get("Retry-After", "")
            return None
        return response

    def author(self, flow: Flow) -> None:
        data = author_pdf(self.pdf, flow.index)
        flow.sha256 = hashlib.sha256(data).hexdigest()
        session = requests.Session()
        # The proxy's header: one client address per author (the stack trusts 127.0.0.1 as a
        # proxy: bench/rush/stack.py).
        i = flow.index + 1
        session.headers["X-Forwarded-For"] = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"
        self.barrier.wait(timeout=60)
        try:
            self.flow(session, flow, data)
        finally:
            flow.finished_at = time.monotonic()
            session.close()

    def flow(self, session: requests.Session, flow: Flow, data: bytes) -> None:
        login_url = self.base + "/accounts/login/"

        def login():
            form = session.get(login_url, timeout=self.timeout())
            form.raise_for_status()
            fields = {
                "csrfmiddlewaretoken": csrf_token(form.text),
                "login": flow.email,
                "password": self.password,
            }
            return session.post(
                login_url, data=fields, allow_redirects=False, timeout=self.timeout()
            )

        first_try = time.monotonic()
        answer = self.step(flow, "login", login)
        # A person told "busy, try again" (503 with Retry-After) does so, within the time limit;
        # the step's time is then what the person lived: every attempt and the waits between.
        while answer is None and flow.steps[-1].status == 503 and flow.login_retries < RETRIES:
            failed = flow.steps.pop()
            flow.login_retries += 1
            time.sleep(float(failed_retry_after(failed)))
            answer = self.step(flow, "login", login)
            flow.steps[-1].seconds = time.monotonic() - first_try
        if answer is None:
            return
        if answer.status_code != 302 or "sessionid" not in session.cookies:
            flow.steps[-1].status, flow.steps[-1].note = 401, "not logged in"
            return
        detail = f"{self.base}/c/{self.slug}/submissions/{flow.number}/"
        page = self.step(flow, "page", lambda: session.get(detail, timeout=self.timeout()))
        if page is None:
            return
        action = f"/c/{self.slug}/submissions/{flow.number}/upload/paper/"
        if f'action="{action}"' not in page.text:
            flow.steps[-1].status, flow.steps[-1].note = 409, "no upload form"
            return
        fields = {"csrfmiddlewaretoken": csrf_token(page.text)}
        files = {"file": ("rush-paper.pdf", data, "application/pdf")}
        upload = self.step(
            flow,
            "upload",
            lambda: session.post(
                self.base + action,
                data=fields,
                files=files,
                allow_redirects=False,
                timeout=self.timeout(),
            ),
        )
        if upload is None:
            return
        location = upload.headers.get("Location", "")
        if upload.status_code != 302 or not location:
            flow.steps[-1].note = error_of(upload) or "no redirect"
            return
        target = location if location.startswith("http") else self.base + location
        self.step(flow, "redirect", lambda: session.get(target, timeout=self.timeout()))
