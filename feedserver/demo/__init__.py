"""The demo sales organisation loaded on first run."""
