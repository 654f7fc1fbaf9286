"""KATO region registry, boundaries, spatial joins and geometry simplification."""
