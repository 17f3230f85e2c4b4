"""Loading, validation, alias resolution and figure style for the book on the 2017
Kyrgyzstan-Kazakhstan crisis."""

__all__ = ["paths", "load", "validate", "aliases", "style"]
