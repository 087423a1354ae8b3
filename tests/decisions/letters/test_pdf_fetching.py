"""A decision letter loads nothing while it renders: a URL that reached its HTML (an image, a
stylesheet) is refused and the letter still renders (a plain function as WeasyPrint 70's
fetcher crashed the rendering instead)."""

import http.server
import threading

from decisions.letters import pdf


class _Counting(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802 - the handler's name
        type(self).hits += 1
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_url_in_the_letter_is_refused_and_the_letter_renders(monkeypatch):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    html = f'<p>Dear authors</p><img src="{url}/x.png"><link rel="stylesheet" href="{url}/s.css">'
    monkeypatch.setattr(pdf, "letter_html", lambda content: html)
    try:
        data = pdf.render_letter_pdf(content=None)
    finally:
        server.shutdown()
        server.server_close()
    assert data.startswith(b"%PDF-")
    assert _Counting.hits == 0
