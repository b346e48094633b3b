"""The hand-written <select> renders exactly what Django's would: escaped labels and
values, groups, and the chosen option."""

from __future__ import annotations

from ..forms import QuickSelect


def test_quick_select_escapes_groups_and_marks_the_choice():
    widget = QuickSelect(
        choices=[("", "All"), ("Kec <b>", [("32.73.01.1001", 'Suka"rasa <x>')]), ("a&b", "A & B")]
    )
    html = widget.render("kelurahan", "32.73.01.1001", attrs={"id": "id_kelurahan"})
    assert html.startswith('<select id="id_kelurahan" name="kelurahan">')
    assert '<optgroup label="Kec &lt;b&gt;">' in html
    assert '<option value="32.73.01.1001" selected>Suka&quot;rasa &lt;x&gt;</option>' in html
    assert '<option value="a&amp;b">A &amp; B</option>' in html
    assert html.count(" selected") == 1
    assert "<x>" not in html
