"""Predictions from a running Label Studio ML backend (`lsview predict`, the window's Predict): the protocol
(protocol.py), the client (client.py), media the backend cannot fetch (reach.py) and the run (run.py). Core layer.
"""
