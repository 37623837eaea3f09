"""Several Rasa instances on one machine or many: PostgreSQL tracker store, Redis lock store,
two Rasa servers and two action servers behind nginx (`make scale-up`, `make scale-down`).

`settings` holds the ports and paths, `templates` renders the nginx config, systemd units and the
clustered endpoints/credentials from one set of templates (the local stack and `docs/deploy.md` use
the same ones), `stack` starts and stops the processes, `socketio` lets any instance push a message to
a socket held by another one.
"""
