"""Input contracts, loaders, the embedded store, official figures and the demo-data generator."""
