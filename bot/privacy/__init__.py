"""Privacy: identifiers redacted before storage, retention, and "forget me" (see docs/security.md)."""
