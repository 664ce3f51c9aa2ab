"""Talking to a Label Studio server and to ML backends over HTTP (core layer, no Qt; httpx and keyring)."""
