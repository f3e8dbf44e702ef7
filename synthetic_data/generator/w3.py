"""The Workshop 3 layer of a world: network roles, money trails, the UTXO ledger, dark-web pages.

One call from generate_world, after every earlier step. Each part draws from its own random
stream derived from the world seed (generator/streams.py), so adding or changing this layer
never shifts what earlier steps draw.
"""

from __future__ import annotations

from synthetic_data.generator import darkweb, flows, ledger, network
from synthetic_data.generator.context import Gen


def add_layer(g: Gen) -> None:
    layer = network.make_network(g)
    flows.make_flows(g, layer)
    ledger.make_ledger(g)
    darkweb.make_darkweb(g)
