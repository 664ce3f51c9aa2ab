"""lsview: look at Label Studio predictions, correct them, export the corrected labels."""

__version__ = "0.1.0"
