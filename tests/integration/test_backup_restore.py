"""bin/backup and bin/restore on a real PostgreSQL with real PDF files (issue 13).

A backup is only as good as its restore: these tests back up the test database and its media
directory, restore them into a database created fresh for the test and an empty directory, and
find every submission and every file there, byte for byte (the sha256 recorded on each row at
upload). The scripts use the machine's pg_dump, pg_restore and psql (postgresql-client).
"""

import hashlib
import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from tests.factories import SubmissionFactory, SubmissionFileFactory, UserFactory
from tests.integration.conftest import ROOT, database_url, wait_until
from tests.submissions import pdfs

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def run(script: str, *args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(media),
        "LC_ALL": "C.UTF-8",
    }
    return subprocess.run(
        [str(ROOT / "bin" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def media_root() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A new, empty database on the same server (dropped afterwards); its URL."""
    name = f"{connection.settings_dict['NAME']}_restored_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url_of(name: str) -> str:
    return database_url().rsplit("/", 1)[0] + f"/{name}"


def query(name: str, sql: str) -> list[tuple]:
    s = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=name,
            user=s["USER"],
            password=s["PASSWORD"] or None,
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
        ) as conn,
        conn.cursor() as cursor,
    ):
        cursor.execute(sql)
        rows = cursor.fetchall()
    conn.close()
    return rows


@pytest.fixture
def papers() -> dict[int, tuple[int, str, str]]:
    """Three submissions, one with two versions, each a real WeasyPrint PDF; by file id:
    (submission id, stored name, sha256 of the bytes uploaded)."""
    author = UserFactory()
    stored = {}
    first = SubmissionFactory(authors=[author], title="Pipelined tensor compilers")
    conference = first.conference
    submissions = [
        first,
        SubmissionFactory(conference=conference, authors=[author], title="Sparse attention"),
        SubmissionFactory(conference=conference, authors=[author], title="Elastic training"),
    ]
    uploads = [(submissions[0], 2), (submissions[0], 3), (submissions[1], 4), (submissions[2], 5)]
    for submission, pages in uploads:
        data = pdfs.paper(pages=pages)
        digest = hashlib.sha256(data).hexdigest()
        row = SubmissionFileFactory(
            submission=submission,
            file=ContentFile(data, name="paper.pdf"),
            sha256=digest,
            size=len(data),
            pages=pages,
            uploaded_by=author,
        )
        stored[row.pk] = (submission.pk, row.file.name, digest)
    return stored


def test_a_backup_restores_into_a_fresh_database_with_every_submission_and_file(
    papers, media_root, fresh_database, tmp_path
):
    backup = run("backup", str(tmp_path / "backups"), database=database_url(), media=media_root)
    assert backup.returncode == 0, backup.stderr
    backup_dir = Path(backup.stdout.strip().splitlines()[-1])
    assert backup_dir.name.startswith("mlsys-backup-") and backup_dir.is_dir()
    assert not list(backup_dir.parent.glob("*.partial"))
    counts = dict(
        line.split("\t") for line in (backup_dir / "row-counts.tsv").read_text().splitlines()
    )
    assert counts["submissions_submission"] == "3"
    assert counts["submissions_submissionfile"] == "4"
    manifest = (backup_dir / "MANIFEST").read_text()
    assert "media_files 4\n" in manifest

    restored_media = tmp_path / "restored-media"
    restore = run("restore", str(backup_dir), database=url_of(fresh_database), media=restored_media)

    assert restore.returncode == 0, restore.stderr
    assert "all 4 submission files match their sha256" in restore.stderr
    titles = dict(query(fresh_database, "SELECT id, title FROM submissions_submission"))
    assert sorted(titles.values()) == [
        "Elastic training",
        "Pipelined tensor compilers",
        "Sparse attention",
    ]
    rows = query(
        fresh_database, "SELECT id, submission_id, file, sha256 FROM submissions_submissionfile"
    )
    assert {pk: (sub, name, digest) for pk, sub, name, digest in rows} == papers
    for _pk, _submission, name, digest in rows:
        restored = restored_media / name
        assert restored.is_file(), name
        assert hashlib.sha256(restored.read_bytes()).hexdigest() == digest
        assert restored.read_bytes().startswith(b"%PDF-")
    # Accounts come back too: the author can still log in with the same password hash.
    original_hash = query(connection.settings_dict["NAME"], "SELECT password FROM accounts_user")
    assert query(fresh_database, "SELECT password FROM accounts_user") == original_hash


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(
    papers, media_root, tmp_path
):
    backup = run("backup", str(tmp_path / "backups"), database=database_url(), media=media_root)
    assert backup.returncode == 0, backup.stderr
    backup_dir = backup.stdout.strip().splitlines()[-1]
    target_media = tmp_path / "untouched"

    # The live test database itself: restoring over it must be refused.
    restore = run("restore", backup_dir, database=database_url(), media=target_media)

    assert restore.returncode == 1
    assert "already has" in restore.stderr and "nothing was changed" in restore.stderr
    assert not target_media.exists()


def test_restore_refuses_a_damaged_backup_before_touching_anything(
    papers, media_root, fresh_database, tmp_path
):
    backup = run("backup", str(tmp_path / "backups"), database=database_url(), media=media_root)
    backup_dir = Path(backup.stdout.strip().splitlines()[-1])
    dump = backup_dir / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    restore = run("restore", str(backup_dir), database=url_of(fresh_database), media=tmp_path / "m")

    assert restore.returncode == 1
    assert "damaged" in restore.stderr and "database.dump" in restore.stderr
    assert query(
        fresh_database,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
    ) == [(0,)]
    assert not (tmp_path / "m").exists()


def test_restore_reports_a_file_that_does_not_match_its_row(
    papers, media_root, fresh_database, tmp_path
):
    """The cross-check against the rows catches what the archive's own sums can't: here an
    upload whose file on disk was damaged before the backup was taken."""
    pk, (_submission, name, _digest) = next(iter(papers.items()))
    (media_root / name).write_bytes(b"%PDF-1.7\nnot what was uploaded\n%%EOF\n")
    backup = run("backup", str(tmp_path / "backups"), database=database_url(), media=media_root)
    backup_dir = backup.stdout.strip().splitlines()[-1]

    restore = run(
        "restore", backup_dir, database=url_of(fresh_database), media=tmp_path / "restored"
    )

    assert restore.returncode == 1
    assert "not matching their rows' sha256" in restore.stderr
    assert name in restore.stderr


def test_a_backup_taken_while_the_site_writes_still_restores_and_verifies(
    media_root, fresh_database, tmp_path
):
    """Rows committed while pg_dump runs are neither in the dump nor in its row counts: both
    come from one snapshot, so the restore's count check holds on a live site."""
    import threading

    media_root.mkdir(parents=True, exist_ok=True)
    s = connection.settings_dict
    writer = psycopg2.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
    )
    writer.autocommit = True
    stop = threading.Event()
    written = []

    def write() -> None:
        with writer.cursor() as cursor:
            while not stop.is_set():
                cursor.execute("INSERT INTO live_writes DEFAULT VALUES")
                written.append(1)

    with writer.cursor() as cursor:
        cursor.execute("CREATE TABLE live_writes (id bigserial PRIMARY KEY)")
    thread = threading.Thread(target=write)
    try:
        thread.start()
        wait_until(lambda: len(written) > 50, timeout=30, message="no rows written")
        backup = run("backup", str(tmp_path / "backups"), database=database_url(), media=media_root)
        before_stop = len(written)
        stop.set()
        thread.join(timeout=10)
    finally:
        stop.set()
        with writer.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS live_writes")
        writer.close()
    assert backup.returncode == 0, backup.stderr
    backup_dir = Path(backup.stdout.strip().splitlines()[-1])
    counted = dict(
        line.split("\t") for line in (backup_dir / "row-counts.tsv").read_text().splitlines()
    )
    # Rows kept coming during the backup, and the dump holds a moment in between.
    assert 50 < int(counted["live_writes"]) < before_stop

    restore = run("restore", str(backup_dir), database=url_of(fresh_database), media=tmp_path / "r")

    assert restore.returncode == 0, restore.stderr
    assert query(fresh_database, "SELECT count(*) FROM live_writes") == [
        (int(counted["live_writes"]),)
    ]
