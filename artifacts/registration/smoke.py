"""The artifacts' automatic smoke checks: does the repository answer, does the DOI resolve,
and — on GitHub and GitLab — are a LICENSE and a README present at the given version?

Standard library only (http.client). Each request has a short time-out
(``settings.ARTIFACT_SMOKE_TIMEOUT``), follows at most 5 redirects, tries HEAD then GET, and
never fetches a host that resolves to a private, loopback, link-local, multicast or reserved
address (the connection goes to the address that was checked, so a DNS answer cannot change
between the check and the connection). Tests point hosts at a local server through
``settings.ARTIFACT_SMOKE_REWRITE`` ({host: base URL}), which skips the address check for
that host only. Every failure is a warning with a sentence; nothing here raises.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from django.conf import settings

MAX_REDIRECTS = 5
USER_AGENT = "mlsys-artifact-smoke-check/1.0"
LICENSE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING")
README_FILES = ("README.md", "README", "README.rst", "README.txt")
NOT_RUN = (
    "The automatic checks did not run: they are turned off on this site, so the repository "
    "and the DOI were not checked (for the site's administrators: ARTIFACT_SMOKE_CHECKS)."
)


class Refused(Exception):
    """The URL may not be fetched (scheme, private address); the message says why."""


@dataclass
class Answer:
    ok: bool
    status: int | None
    message: str


def result(check: str, ok: bool, message: str) -> dict:
    return {"check": check, "level": "ok" if ok else "warning", "message": message}


def _rewrite(url: str) -> tuple[str, bool]:
    """``url`` with its host replaced per ARTIFACT_SMOKE_REWRITE; whether it was."""
    parts = urlsplit(url)
    base = (getattr(settings, "ARTIFACT_SMOKE_REWRITE", None) or {}).get(parts.hostname or "")
    if not base:
        return url, False
    target = urlsplit(base)
    path = target.path.rstrip("/") + parts.path
    return urlunsplit((target.scheme, target.netloc, path, parts.query, "")), True


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``ip`` is on the public internet: globally routable (which leaves out the
    private, loopback, link-local, reserved and shared 100.64.0.0/10 ranges — a cloud's
    metadata service may live there), not multicast, and for IPv6 no private IPv4 address
    embedded in it (mapped, 6to4, Teredo, NAT64)."""
    if (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    ):
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None]
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        return all(inner is None or _is_public(inner) for inner in embedded)
    return True


def _public_address(host: str, port: int) -> tuple:
    """The first address of ``host`` (all must be public), or Refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise Refused(f"{host} does not resolve to an address.") from None
    for _family, _type, _proto, _name, address in infos:
        ip = ipaddress.ip_address(address[0].split("%")[0])
        if not _is_public(ip):
            raise Refused(
                f"{host} resolves to a private or reserved address ({ip}); the checks only "
                "fetch public hosts."
            )
    family, _type, _proto, _name, address = infos[0]
    return family, address


def _connection(url: str, timeout: float, *, trusted: bool) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("Only http and https addresses are checked.")
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    if https:
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    if not trusted:
        family, address = _public_address(parts.hostname, port)

        def create_connection(_address, timeout=timeout, source_address=None):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            try:
                sock.connect(address)
            except OSError:
                sock.close()
                raise
            return sock

        conn._create_connection = create_connection  # type: ignore[attr-defined]
    return conn


def _request(method: str, url: str, timeout: float, trusted: bool) -> tuple[int, str | None]:
    conn = _connection(url, timeout, trusted=trusted)
    parts = urlsplit(url)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~") + (
        f"?{parts.query}" if parts.query else ""
    )
    try:
        conn.request(method, path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = conn.getresponse()
        location = response.getheader("Location")
        if method == "GET":
            response.read(1024)  # never the whole body
        return response.status, location
    finally:
        conn.close()


def fetch(url: str, *, timeout: float | None = None) -> Answer:
    """Whether ``url`` answers 2xx: HEAD, then GET if HEAD is refused; redirects followed (at
    most 5, each target checked like the first)."""
    timeout = timeout if timeout is not None else float(settings.ARTIFACT_SMOKE_TIMEOUT)
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target, trusted = _rewrite(current)
        try:
            status, location = _request("HEAD", target, timeout, trusted)
            if status in (405, 403, 400, 501) or status >= 500:
                status, location = _request("GET", target, timeout, trusted)
        except Refused as refused:
            return Answer(False, None, str(refused))
        except TimeoutError:
            return Answer(False, None, f"No answer within {timeout:g} seconds.")
        except ssl.SSLError as error:
            return Answer(False, None, f"The secure connection failed ({error.reason or error}).")
        except (OSError, http.client.HTTPException) as error:
            return Answer(False, None, f"The connection failed ({type(error).__name__}).")
        if status in (301, 302, 303, 307, 308) and location:
            current = urljoin(current, location)
            continue
        if 200 <= status < 300:
            return Answer(True, status, f"Answers (HTTP {status}).")
        return Answer(False, status, f"Answers HTTP {status}.")
    return Answer(False, None, f"More than {MAX_REDIRECTS} redirects.")


def raw_urls(repository_url: str, version: str, name: str) -> str | None:
    """The raw-file URL of ``name`` at ``version`` on GitHub or GitLab; None elsewhere."""
    parts = urlsplit(repository_url)
    host = (parts.hostname or "").lower()
    path = parts.path.strip("/").removesuffix(".git")
    segments = path.split("/")
    if host in ("github.com", "www.github.com") and len(segments) >= 2:
        owner, repo = segments[0], segments[1]
        return f"https://raw.githubusercontent.com/{owner}/{repo}/{quote(version, safe='')}/{name}"
    if host in ("gitlab.com", "www.gitlab.com") and len(segments) >= 2:
        project = "/".join(segments[: segments.index("-")] if "-" in segments else segments)
        return f"https://gitlab.com/{project}/-/raw/{quote(version, safe='')}/{name}"
    return None


def run(*, repository_url: str, version: str, doi: str) -> list[dict]:
    """Every check's result, in order: repository, DOI, LICENSE, README. With
    ``settings.ARTIFACT_SMOKE_CHECKS`` off (the demo while it seeds) nothing is fetched and the
    one result says the checks did not run."""
    if not getattr(settings, "ARTIFACT_SMOKE_CHECKS", True):
        return [result("run", False, NOT_RUN)]
    results: list[dict] = []
    if repository_url:
        answer = fetch(repository_url)
        results.append(
            result(
                "repository",
                answer.ok,
                f"The repository {repository_url} answers."
                if answer.ok
                else f"The repository {repository_url} did not answer: {answer.message}",
            )
        )
    else:
        results.append(result("repository", False, "No repository URL is given."))
    if doi:
        answer = fetch(f"https://doi.org/{doi}")
        results.append(
            result(
                "doi",
                answer.ok,
                f"The DOI {doi} resolves."
                if answer.ok
                else f"The DOI {doi} did not resolve: {answer.message}",
            )
        )
    else:
        results.append(result("doi", False, "No DOI is given."))
    if repository_url and version and raw_urls(repository_url, version, "README") is not None:
        for check, names in (("licence", LICENSE_FILES), ("readme", README_FILES)):
            found = None
            last = ""
            for name in names:
                answer = fetch(raw_urls(repository_url, version, name) or "")
                if answer.ok:
                    found = name
                    break
                last = answer.message
                if answer.status is None:  # time-out or refusal: don't try every name
                    break
            label = "LICENSE" if check == "licence" else "README"
            results.append(
                result(
                    check,
                    found is not None,
                    f"{found} is present at {version[:12]}."
                    if found
                    else f"No {label} found at {version[:12]} ({', '.join(names)}). {last}".strip(),
                )
            )
    elif repository_url:
        results.append(
            result(
                "files",
                True,
                "LICENSE and README are checked only on GitHub and GitLab; the evaluators will "
                "look for them.",
            )
        )
    return results
