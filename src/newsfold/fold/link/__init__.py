"""Linking and placement, shared by the incremental and the batch fold: candidates, verified edges, stories."""
