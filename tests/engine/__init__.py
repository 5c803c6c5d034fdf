"""Tests of the scheduler inside Home Assistant (the engine package)."""
