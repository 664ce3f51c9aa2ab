"""The lsview window: everything that imports PySide6 widgets. Draws through viewer.render, reads through viewer.core."""
