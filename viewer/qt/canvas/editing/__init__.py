"""Editing the reviewer's working annotation on the canvas: handles, drawing tools, brush, labels.

Qt layer. Tools are objects that turn mouse input into previews and, when done, into one edit (DESIGN rule 3).
"""
