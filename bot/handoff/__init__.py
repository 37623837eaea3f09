"""Handing a person to a human mediator of an NGO: directory, routing, cases, the mediator inbox."""
