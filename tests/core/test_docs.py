"""The documentation map and the README point at pages that exist, and miss none."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _local_links(page: Path) -> set[Path]:
    targets = set()
    for target in LINK.findall(page.read_text()):
        if "://" in target or target.startswith("/"):
            continue
        targets.add((page.parent / target).resolve())
    return targets


def test_docs_index_links_every_docs_page():
    linked = _local_links(DOCS / "index.md")
    pages = {page.resolve() for page in DOCS.glob("*.md")} - {(DOCS / "index.md").resolve()}

    missing = sorted(page.name for page in pages - linked)
    assert not missing, f"docs/index.md does not link {missing}"


def test_local_links_in_readme_and_docs_point_at_existing_files():
    broken = []
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in _local_links(page):
            if not target.exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target.relative_to(ROOT)}")
    assert not broken, f"broken links: {broken}"


def test_readme_names_the_two_commands_and_the_docs_map():
    readme = (ROOT / "README.md").read_text()

    for text in ("make run", "make test", "docs/index.md", "/api/docs/", ".env.example"):
        assert text in readme, text
