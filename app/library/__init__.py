"""Files on disk → a validated, typed library: resource packs, project content, medicines and equivalence figures."""
