"""An OAI-PMH 2.0 data provider at /oai: the six verbs, Dublin Core (oai_dc), sets by
publication, topic and country, selective harvesting by date, resumption tokens that carry
their own position, and deleted records from the articles' history."""
