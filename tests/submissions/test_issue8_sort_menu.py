"""Issue 8: the chairs' "Sort by" menu lists each order once ("Number ↑" appeared twice)."""

from html.parser import HTMLParser

from django.urls import reverse

from tests import factories


class _SortOptions(HTMLParser):
    """(value, label, selected) of each option of the select named "sort"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.options: list[list] = []
        self.in_sort = self.in_option = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.in_sort = attrs.get("name") == "sort"
        elif tag == "option" and self.in_sort:
            self.in_option = True
            self.options.append([attrs.get("value"), "", "selected" in attrs])

    def handle_endtag(self, tag):
        if tag == "option":
            self.in_option = False
        elif tag == "select":
            self.in_sort = False

    def handle_data(self, data):
        if self.in_option:
            self.options[-1][1] += data.strip()


def _sort_options(html: str) -> list[tuple[str, str, bool]]:
    parser = _SortOptions()
    parser.feed(html)
    return [tuple(option) for option in parser.options]


def _get(client, conference, query=""):
    url = reverse("submissions:chair_list", kwargs={"conference": conference.slug})
    response = client.get(url + query)
    assert response.status_code == 200
    return response


def test_sort_menu_lists_each_order_once(client, chair, conference):
    factories.SubmissionFactory(conference=conference, number=1, title="B paper")
    factories.SubmissionFactory(conference=conference, number=2, title="A paper")
    client.force_login(chair)
    options = _sort_options(_get(client, conference).content.decode())
    labels = [label for _, label, _ in options]
    assert labels.count("Number ↑") == 1
    assert len(labels) == len(set(labels))
    assert [value for value, _, _ in options][:2] == ["number", "-number"]
    assert "" not in [value for value, _, _ in options]


def test_sort_menu_keeps_the_chosen_order_and_sorts_by_it(client, chair, conference):
    factories.SubmissionFactory(conference=conference, number=1, title="B paper")
    factories.SubmissionFactory(conference=conference, number=2, title="A paper")
    client.force_login(chair)
    response = _get(client, conference, "?sort=title")
    assert [s.number for s in response.context["submissions"]] == [2, 1]
    selected = [label for _, label, chosen in _sort_options(response.content.decode()) if chosen]
    assert selected == ["Title ↑"]
    response = _get(client, conference, "?sort=-number")
    assert [s.number for s in response.context["submissions"]] == [2, 1]
    response = _get(client, conference, "?sort=")
    assert [s.number for s in response.context["submissions"]] == [1, 2]
