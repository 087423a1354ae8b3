import pytest
from tests.decisions import attack_world as W
from django.urls import reverse

def test_probe(client, conference, chair, conflicted_chair, author, outsider):
    w = W.build(conference, chair, conflicted_chair, author, outsider)
    client.force_login(conflicted_chair)
    import sys
    for name in ("decisions:dashboard",):
        body = client.get(reverse(name, kwargs={"conference": conference.slug})).content.decode()
        for m in W.ALL:
            i = body.lower().find(m.lower())
            while i >= 0:
                sys.stderr.write(f"{name} {m}: ...{body[max(0,i-300):i+100]}...\n")
                i = body.lower().find(m.lower(), i+1)
    assert 0
