"""Review sessions: the reviewer's working annotations, decisions and task statuses, kept in SQLite.

Core layer, no Qt. Every user action is one command on one undo history and one database transaction.
"""
