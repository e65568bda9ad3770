"""The communication app's pages, by audience: ``public``, ``space`` (member organisations,
working-group members, committee members) and ``staff``."""
