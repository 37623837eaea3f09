"""Loading what the assistant says from `content/`, and rendering it in one language."""
