"""The directory's pages: ``space`` for the organisations of the signed-in person, ``staff``
for the whole directory (/gestion/…)."""
