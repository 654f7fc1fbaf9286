"""The `enbek` command line: the composition root that wires data, geo, osh and layers together."""
