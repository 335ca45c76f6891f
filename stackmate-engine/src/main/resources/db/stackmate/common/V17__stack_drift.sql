-- The last drift detection of each stack (CloudFormation's DetectStackDrift result), so that
-- DescribeStackDriftDetectionStatus and DescribeStackResourceDrifts answer from the database.
-- The reason and the resources' drifts quote values read from the cloud: encrypted at rest.
-- Plain SQL that runs unchanged on H2 and PostgreSQL.
CREATE TABLE sm_stack_drift (
  stack_id                VARCHAR(256) NOT NULL PRIMARY KEY,
  detection_id            VARCHAR(64)  NOT NULL,
  stack_drift_status      VARCHAR(32)  NOT NULL,
  detection_status        VARCHAR(32)  NOT NULL,
  detection_status_reason VARCHAR,
  drifted_count           INTEGER      NOT NULL,
  detected_at             TIMESTAMP WITH TIME ZONE NOT NULL,
  resource_drifts         VARCHAR      NOT NULL      -- JSON array of resource drifts
);
