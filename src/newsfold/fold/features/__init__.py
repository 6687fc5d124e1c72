"""What folding computes once per article: text features, MinHash and LSH band keys, lead embeddings."""
