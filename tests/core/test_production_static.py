"""Static files as production serves them: the manifest storage, the favicon, the error pages.

Tests run with the plain ``StaticFilesStorage`` (``TESTING``), which never checks that a file a
stylesheet references exists. Production uses WhiteNoise's ``CompressedManifestStaticFilesStorage``,
which does, and refuses to collect otherwise; this collects into a temporary directory with it, so
a broken reference fails the suite instead of the Docker build.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def static_extensions() -> list[str]:
    """Every file extension among the static files (apps' and the project's)."""
    extensions = set()
    for finder in finders.get_finders():
        for path, _storage in finder.list(ignore_patterns=[]):
            extensions.add(Path(path).name.rsplit(".", 1)[-1])
    return sorted(extensions)


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    """Collects once for the module, with the production storage: hashed names, the manifest,
    references rewritten. Compression (minutes of Brotli on the API docs' bundles) is skipped:
    it never fails on a reference, and bin/smoke-production and the Docker build do it."""
    static_root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    with override_settings(
        STATIC_ROOT=static_root,
        STORAGES=storages,
        WHITENOISE_SKIP_COMPRESS_EXTENSIONS=static_extensions(),
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield static_root


def template_static_names():
    names = set()
    for template in (ROOT / "templates").rglob("*.html"):
        names.update(STATIC_TAG.findall(template.read_text()))
    return names


def test_collectstatic_with_the_production_storage_succeeds(production_static):
    manifest = (production_static / "staticfiles.json").read_text()
    # Every font the vendored KaTeX stylesheet names was collected under a hashed name.
    css = (ROOT / "static/vendor/katex/katex.min.css").read_text()
    fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css))
    assert len(fonts) == 60
    for font in fonts:
        assert f'"vendor/katex/{font}"' in manifest
    hashed_css = staticfiles_storage.stored_name("vendor/katex/katex.min.css")
    assert hashed_css != "vendor/katex/katex.min.css"
    rewritten = (production_static / hashed_css).read_text()
    assert re.search(r'url\("?fonts/KaTeX_Main-Regular\.[0-9a-f]{12}\.woff2"?\)', rewritten)


def test_every_static_file_a_template_names_is_in_the_manifest(production_static):
    names = template_static_names()
    assert {"css/app.css", "vendor/katex/katex.min.css", "favicon.svg"} <= names
    for name in names:
        # stored_name raises ValueError for a name missing from the manifest.
        assert (production_static / staticfiles_storage.stored_name(name)).is_file(), name


def test_pages_link_the_favicon(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b'<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in response.content
    assert b'<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in response.content


def test_favicon_ico_at_the_site_root_is_not_a_404(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    ico = Path(settings.STATICFILES_DIRS[0]) / "favicon.ico"
    assert ico.read_bytes()[:4] == b"\x00\x00\x01\x00"  # the ICO signature
