-- Each cloud account's CloudStack:: catalog: its cloud's listApis answer, read when the account is saved or
-- refreshed. One row per distinct answer (keyed by its SHA-256), so the accounts of one cloud share it and any
-- node reads it from here.
CREATE TABLE st_cloud_catalogs (
  catalog_id         VARCHAR(64)  NOT NULL PRIMARY KEY,   -- SHA-256 (hex) of the listApis answer
  cloudstack_version VARCHAR(64)  NOT NULL,               -- the newest 'since' among its APIs
  api_count          INTEGER      NOT NULL,
  list_apis          TEXT         NOT NULL,               -- the listApis answer (JSON), gzip, base64
  fetched_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
ALTER TABLE st_cloud_accounts ADD COLUMN catalog_id VARCHAR(64) REFERENCES st_cloud_catalogs (catalog_id);
ALTER TABLE st_cloud_accounts ADD COLUMN catalog_checked_at TIMESTAMP WITH TIME ZONE;
