"""Indgang: one entry for every citizen and company in a Danish municipality."""
