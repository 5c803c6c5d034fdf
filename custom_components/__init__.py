"""Custom integrations (a package so that the tests can import the integration)."""
