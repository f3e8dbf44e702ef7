"""Every page's `domain` is its URL's host, in every pack, scenario and many seeds.

`site:` and the platform lookups read the host: a comment indexed under another
platform's domain than its URL's would be found by the wrong `site:` (issue 18).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from osintlab.errors import UserError
from synthetic_data.country import list_countries
from synthetic_data.generator import generate_world
from synthetic_data.scenario import list_scenarios

SEEDS = range(4)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@pytest.mark.parametrize("country", [p.code for p in list_countries()])
def test_every_page_domain_is_its_url_host(country: str) -> None:
    checked = 0
    for scenario in list_scenarios():
        for seed in SEEDS:
            try:
                world = generate_world(country, scenario.id, seed, "tiny")
            except UserError:  # a pack that cannot host a scenario is not this test's concern
                continue
            accounts = {a.account_id: a for a in world.case.accounts}
            platforms = {p.platform_id: p for p in world.case.platforms}
            for page in world.case.pages:
                assert page.domain == _host(page.url), (country, scenario.id, seed, page.page_id, page.url)
                if page.kind == "comment" and page.author:  # a comment is written on its post's platform
                    assert platforms[accounts[page.author].platform_id].domain == page.domain, page.url
                checked += 1
    assert checked > 0
