"""The web front on port 8080: the chat page, the mediator inbox and the staff pages."""
