"""Anonymous figures for advocacy: question counts, fallbacks, handoffs and refusal reports."""
