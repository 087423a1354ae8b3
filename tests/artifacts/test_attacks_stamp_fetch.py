"""The stamping overlay is rendered by WeasyPrint from inline SVG: even if markup got into it,
WeasyPrint must fetch nothing (no file:// read into the PDF, no request to the network)."""

import urllib.request

from artifacts.badges import stamping, svg


def test_the_overlay_fetches_no_url(monkeypatch):
    opened = []
    real_open = urllib.request.OpenerDirector.open

    def spy(self, *args, **kwargs):
        opened.append(args[0] if args else kwargs)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    monkeypatch.setattr(
        svg,
        "seal",
        lambda label, colour, height="": (
            '<img src="file:///etc/hostname"><img src="http://127.0.0.1:9/x">'
            '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
        ),
    )
    page = stamping._overlay(612, 792, [["Available", "#1f6f3f"]], 43.2, 20)
    assert page is not None
    assert opened == []
