"""Views of the steering committee, by audience: ``public`` (composition), ``space``
(committee members' pages) and ``staff`` (Métro staff management under /gestion/comite/)."""
