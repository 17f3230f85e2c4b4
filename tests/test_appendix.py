"""The appendix pages and the data zip, generated from the data package."""

from __future__ import annotations

import io
import zipfile

from kgkz import paths
from kgkz.data import load
from kgkz.render import appendix


def test_the_zip_holds_the_package_and_every_table_it_names(tmp_path):
    data = zipfile.ZipFile(io.BytesIO(appendix.data_zip()))
    named = ["datapackage.json"] + [r["path"] for r in load.datapackage()["resources"]]
    assert data.namelist() == named
    for name in named:
        assert data.read(name) == (paths.data() / name).read_bytes(), name
    assert {info.date_time for info in data.infolist()} == {appendix.ZIP_TIME}


def test_the_zip_is_the_same_bytes_every_time(tmp_path):
    first = appendix.render_all(tmp_path / "a")
    second = appendix.render_all(tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert appendix.zip_name() == "kyrgyzstan-kazakhstan-2017.zip"


def test_the_dictionary_lists_every_field_with_its_title():
    page = appendix.dictionary_page()
    assert page.startswith("(data-dictionary)=\n# Data dictionary")
    for res in load.datapackage()["resources"]:
        assert f"\n## {res['name']}\n" in page
        for field in res["schema"]["fields"]:
            assert f"| `{field['name']}` | " in page, (res["name"], field["name"])
    assert "| `date_start` | earliest date | date |" in page
    assert "| `event_id` | event | string, required |" in page
    assert "`actor_id` refers to `actor_id` in `actors`." in page


def test_the_downloads_page_links_the_zip_and_the_pdf_relatively():
    page = appendix.downloads_page()
    assert "{download}`kyrgyzstan-kazakhstan-2017.zip <kyrgyzstan-kazakhstan-2017.zip>`" in page
    assert f'<a href="{appendix.PDF_LINK}"' in page
    assert not appendix.PDF_LINK.startswith(("/", "file:", "http"))
    # From the page's place in the HTML build to the PDF's place in the LaTeX build.
    html_page = paths.build() / "html" / "book" / "appendix" / "downloads.html"
    target = (html_page.parent / appendix.PDF_LINK).resolve()
    assert target == (paths.build() / "latex" / "book.pdf").resolve()
