"""curriclint: lint medical curriculum content for race taught as biology."""

__version__ = "0.1.0"
