-- A source refused by a setting (a blocked network, robots.txt, the size limit) keeps the fetch policy it was
-- refused under (ingest/fetch.py: policy_stamp); once the user changes that policy, the source is due again.
ALTER TABLE sources ADD COLUMN failed_policy TEXT;
