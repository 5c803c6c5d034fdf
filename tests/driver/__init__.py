"""Board layer tests: driver and simulator, no Home Assistant."""
