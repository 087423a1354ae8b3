import pytest
from django.urls import reverse


@pytest.fixture
def url(conference):
    def build(name: str, **kwargs) -> str:
        return reverse(f"conferences:{name}", kwargs={"conference": conference.slug, **kwargs})

    return build
