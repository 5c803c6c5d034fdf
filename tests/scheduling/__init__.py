"""Scheduling core tests: model, validation, calculator, presets, curves - no Home Assistant."""
