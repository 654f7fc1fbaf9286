"""Express self-assessment of occupational risks for micro and small firms (the Concept's simplified online procedure)."""
