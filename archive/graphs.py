"""Networks as files: archive.tables' co-mention graph written as GraphML by networkx."""

from __future__ import annotations

import networkx as nx

from archive.text import xml_text


def graphml(graph: dict) -> str:
    """One node per country (its code as id; name, articles) and an undirected edge per
    pair sharing articles (count, lift), with the set's article count on the graph."""
    network = nx.Graph(articles=graph["count"])
    for node in graph["nodes"]:
        network.add_node(node["id"], name=xml_text(node["name"]), articles=node["articles"])
    for edge in graph["edges"]:
        network.add_edge(edge["source"], edge["target"], count=edge["count"], lift=edge["lift"])
    return "\n".join(nx.generate_graphml(network)) + "\n"
