"""The artifact-evaluation pages under /c/<conference>/artifacts/: each workflow package's
urls, concatenated (namespace ``artifacts``)."""

from artifacts.assignment import urls as assignment
from artifacts.badges import urls as badges
from artifacts.committee import urls as committee
from artifacts.evaluation import urls as evaluation
from artifacts.page import urls as page
from artifacts.registration import urls as registration
from artifacts.setup import urls as setup

app_name = "artifacts"
urlpatterns = [
    *setup.urlpatterns,
    *committee.urlpatterns,
    *registration.urlpatterns,
    *assignment.urlpatterns,
    *evaluation.urlpatterns,
    *badges.urlpatterns,
    *page.urlpatterns,
]
