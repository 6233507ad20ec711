"""The dashboards' list tags build HTML by hand for speed: whatever an agency is called, the name
must come out as text, never as markup."""

from html.parser import HTMLParser

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from itadesk.cycles.selectors import AgencyRow
from itadesk.cycles.templatetags.dashboard import agency_items, agency_table_rows


class Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.links, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links += [v for k, v in attrs if k == "href"]

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    p = Collect()
    p.feed(html)
    p.close()
    return p


names = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40)


@given(name=names, district=names)
@translation.override("th")
def test_names_are_text_not_markup(name, district):
    row = AgencyRow(id=7, name=name, kind="sao", district_id=1, district=district, needs_coaching=True,
                    status_label="ยังไม่เริ่ม", kind_label="อบต.",
                    cells=[("not_started", "ยังไม่เริ่ม", True), ("done", "ดำเนินการแล้ว", False)])
    items = parse(str(agency_items([row], "/rounds/1/agencies/")))
    assert items.tags == ["li", "a", "span", "span"]
    assert items.links == ["/rounds/1/agencies/7/"]
    assert "".join(items.text) == f"{name} ({district}, ยังไม่เริ่ม) กลุ่มพี่เลี้ยง"
    table = parse(str(agency_table_rows([row], "/rounds/1/agencies/")))
    assert table.tags == ["tr", "td", "a", "span", "td", "td", "td", "td"]
    assert "".join(table.text) == f"{name} กลุ่มพี่เลี้ยง{district}อบต.ยังไม่เริ่ม (ล่าช้า)ดำเนินการแล้ว"


@translation.override("th")
def test_public_lists_have_no_links_and_no_badges():
    row = AgencyRow(id=3, name="อบต.<b>", kind="sao", district_id=1, district="นาด้วง", needs_coaching=True,
                    status_label="ยังไม่เริ่ม")
    html = str(agency_items([row], "", district=False, coaching=False))
    assert html == '<li>อบต.&lt;b&gt; <span class="text-muted">(ยังไม่เริ่ม)</span></li>'
    assert str(agency_items([], "/x/")) == ""
