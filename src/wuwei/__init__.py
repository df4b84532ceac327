"""Wuwei (五维): B2B key-account sales management."""

__version__ = "0.1.0"
