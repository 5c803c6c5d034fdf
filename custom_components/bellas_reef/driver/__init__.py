"""The board layer: a PCA9685 driver and a simulated chip. Imports nothing from Home Assistant."""
