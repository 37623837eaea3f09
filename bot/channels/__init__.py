"""Custom Rasa input channels (configured in credentials.yml by module path)."""
