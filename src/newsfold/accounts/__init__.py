"""Accounts: password hashing and the secret tokens of sessions and API logins (the store keeps the users)."""
