"""In a real browser (Chromium + Playwright): the author of an accepted paper follows the home
page to the registration form, registers the artifact with a mistake first (a branch as the
version, kept text), uploads the appendix, reveals the credentials and submits; the automatic
checks show their warnings. Screenshots in MLSYS_E2E_SHOTS for looking at."""

import pytest

from artifacts.models import Artifact
from tests import factories as f
from tests.e2e.helpers import login, shot
from tests.factories import artifacts as af
from tests.submissions import pdfs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_network(settings):
    settings.ARTIFACT_SMOKE_REWRITE = dict.fromkeys(
        ("github.com", "raw.githubusercontent.com", "doi.org"), "http://127.0.0.1:9"
    )
    settings.ARTIFACT_SMOKE_TIMEOUT = 1


def test_author_registers_and_submits(page, live_server, tmp_path):
    conference = af.ae_conference(slug="mlsys2027", name="MLSys 2027")
    ada = f.UserFactory(name="Ada Author", email="ada@uni.example.edu")
    paper = f.SubmissionFactory(
        conference=conference,
        status="accepted",
        title="Fast Tensor Compilers",
        abstract="We make tensor compilers fast.",
    )
    f.AuthorFactory(
        submission=paper, user=ada, name=ada.name, email=ada.email, order=0, is_contact=True
    )
    login(page, ada.email)
    page.goto("/")
    page.get_by_role("link", name=f"Register an artifact for #{paper.number}").click()
    page.get_by_role("heading", name=f"Register the artifact of #{paper.number}").wait_for()
    assert page.get_by_label("Summary").input_value() == "We make tensor compilers fast."
    page.get_by_label("Artifacts Available").check()
    page.get_by_label("Repository URL").fill("https://github.com/lab/fast-tensors")
    page.get_by_label("Version").fill("main")
    page.get_by_label("DOI").fill("https://doi.org/10.5281/zenodo.1234567")
    page.get_by_label("Licence").fill("Apache-2.0")
    page.locator("#id_packaging").select_option("container")
    page.get_by_label("Experiments and their time").fill("Figure 3 | 15 | 2.5\nTable 2 | 5 | 0.5")
    page.get_by_label("Access credentials").fill("ssh eval@testbed / pw: s3cret-for-evaluators")
    page.get_by_role("button", name="Register the artifact").click()
    page.get_by_text("“main” is a branch").wait_for()
    shot(page, "artifact-registration-error")
    assert (
        page.get_by_label("Repository URL").input_value() == "https://github.com/lab/fast-tensors"
    )
    page.get_by_label("Version").fill("v1.0")
    page.get_by_label("Access credentials").fill("ssh eval@testbed / pw: s3cret-for-evaluators")
    page.get_by_role("button", name="Register the artifact").click()
    page.get_by_role("heading", name=f"Artifact of #{paper.number}").wait_for()
    assert "s3cret" not in page.content()
    page.get_by_role("button", name="Reveal the credentials").click()
    page.get_by_text("s3cret-for-evaluators").wait_for()
    shot(page, "artifact-page-author")

    page.get_by_role("link", name="Edit the registration").click()
    path = tmp_path / "appendix.pdf"
    path.write_bytes(pdfs.paper(pages=2, references=False))
    page.get_by_label("Artifact appendix (PDF)").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("this is the appendix the evaluators read").wait_for()
    shot(page, "artifact-registration-form")

    page.get_by_role("link", name=f"The artifact of #{paper.number}").click()
    page.get_by_role("button", name="Submit for evaluation").click()
    page.get_by_text("Your artifact is submitted").wait_for()
    page.get_by_text("did not answer").first.wait_for()
    shot(page, "artifact-page-submitted")
    assert Artifact.objects.get().status == "submitted"
