"""The action server's code (rasa-sdk), one module per user goal."""
