"""factory_boy factories of every app, shared by the tests and the demo data."""
