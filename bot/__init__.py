"""The assistant's own code that Rasa loads in-process: NLU components, response generation, content."""
