"""The PostgreSQL backend (psycopg 3, the `newsfold[postgres]` extra): a database URL instead of a file."""
