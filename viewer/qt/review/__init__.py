"""The review workflow in the window: the session's controller, the working-annotation layer, keys, bar, export.

Qt layer over viewer.core.review; every change goes through the core's commands and their one undo history.
"""
