"""Accounts pages: ``public`` (sign-up, log-in, passwords) and ``space`` (one's own profile)."""
