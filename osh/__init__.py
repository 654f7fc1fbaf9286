"""The domain: rates, hidden-injury ratio, integral risk model, targets, disclosure control."""
