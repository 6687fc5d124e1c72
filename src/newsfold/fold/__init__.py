"""Folding: copies and reports of the same story grouped, with provenance.

features/ what is computed once per article (shingles, terms, names, lead embedding, LSH band keys);
link/ linking and placement, shared by both folds (candidates, verified edges, the index, join/start/merge, provenance);
incremental/ the folder that places each new article inside an ingest, and what a takedown takes out of it;
batch/ the batch fold of a whole corpus on an executor's workers.
"""
