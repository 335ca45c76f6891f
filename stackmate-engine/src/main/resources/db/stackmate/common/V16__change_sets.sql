-- Stored change sets (CloudFormation's CreateChangeSet / DescribeChangeSet / ExecuteChangeSet).
-- A change set keeps what it was computed from and for: the template and parameter values its
-- execution runs with (parameters encrypted like the stack's), the changes in the AWS CLI's JSON
-- shape, and the stack's operation id when it was made: once another operation has run on the
-- stack, the change set is OBSOLETE. Plain SQL that runs unchanged on H2 and PostgreSQL.
CREATE TABLE sm_change_sets (
  change_set_id      VARCHAR(640) NOT NULL PRIMARY KEY,
  change_set_name    VARCHAR(128) NOT NULL,
  stack_id           VARCHAR(256) NOT NULL,
  stack_name         VARCHAR(256) NOT NULL,
  description        VARCHAR,
  status             VARCHAR(32)  NOT NULL,       -- CREATE_COMPLETE / FAILED
  status_reason      VARCHAR,
  execution_status   VARCHAR(32)  NOT NULL,       -- as recorded; OBSOLETE/UNAVAILABLE are derived when read
  template_body      VARCHAR      NOT NULL,
  template_url       VARCHAR(4096),
  parameters         VARCHAR      NOT NULL,       -- JSON array of {key, value, noEcho}, encrypted
  changes            VARCHAR      NOT NULL,       -- JSON: the AWS CLI's Changes array
  outputs_change     BOOLEAN      NOT NULL,
  stack_operation_id VARCHAR(64),
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  UNIQUE (stack_id, change_set_name)
);
CREATE INDEX sm_change_sets_stack_idx ON sm_change_sets (stack_id, created_at);
