"""Guards for every way in: input limits, rate limits and checked payloads (see docs/security.md)."""
