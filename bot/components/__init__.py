"""Custom Rasa NLU graph components, one per module."""
