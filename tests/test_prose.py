"""The phrases the chapters' prose is built from read right for any number."""

import pytest

from kgkz.analysis import border, election, method, prose, visit2019


@pytest.mark.parametrize(
    ("n", "text"), [(0, "no question"), (1, "1 question"), (1200, "1,200 questions")]
)
def test_count_phrase(n, text):
    assert prose.count_phrase(n, "question") == text
    assert prose.count_phrase(2, "body", "bodies") == "2 bodies"
    assert prose.count_phrase(0, "seed", none="not one") == "not one seed"


def test_listing():
    assert prose.listing([]) == "none"
    assert prose.listing(["S002"]) == "S002"
    assert prose.listing(["S002", "R39", "R43"]) == "S002, R39 and R43"
    assert prose.listing(iter(["a", "b"])) == "a and b"


def test_the_chapters_share_one_wording():
    assert border.listing is election.listing is visit2019.listing is prose.listing
    assert election.count_phrase is method.count_phrase is prose.count_phrase
    assert border.BETWEEN is visit2019.BETWEEN is prose.BETWEEN
