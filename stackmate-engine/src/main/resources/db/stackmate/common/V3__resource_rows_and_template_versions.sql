-- Every operation moves a stack to a target template version (create: provision version 1;
-- delete: clean up towards nothing; an update: provision version N+1, then clean up). A resource
-- row therefore has an id of its own, the template version it belongs to and the row it
-- replaces, so that an old and a new physical resource of one logical id can exist at once.
-- Plain SQL that runs unchanged on H2 and PostgreSQL; existing rows become version 1.
CREATE TABLE sm_stack_resources_v3 (
  resource_id       VARCHAR(640) NOT NULL PRIMARY KEY,
  stack_id          VARCHAR(256) NOT NULL,
  logical_id        VARCHAR(256) NOT NULL,
  template_version  INTEGER      NOT NULL,
  replaces          VARCHAR(640),                  -- the row this one replaces (an update's replacement)
  position          INTEGER      NOT NULL,         -- template order
  resource_type     VARCHAR(256) NOT NULL,
  physical_id       VARCHAR(1024),
  status            VARCHAR(64),                   -- null: not started
  status_reason     VARCHAR,
  depends_on        VARCHAR      NOT NULL,         -- JSON array of logical ids
  properties        VARCHAR,                       -- resolved properties (JSON)
  attributes        VARCHAR      NOT NULL,         -- JSON object for Fn::GetAtt
  metadata          VARCHAR,                       -- resolved Metadata (JSON)
  callback_context  VARCHAR,                       -- last IN_PROGRESS context (JSON)
  deletion_policy   VARCHAR(32),
  description       VARCHAR,
  operation_started TIMESTAMP WITH TIME ZONE,
  next_call_at      TIMESTAMP WITH TIME ZONE,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO sm_stack_resources_v3 (resource_id, stack_id, logical_id, template_version, replaces, position,
  resource_type, physical_id, status, status_reason, depends_on, properties, attributes, metadata,
  callback_context, deletion_policy, description, operation_started, next_call_at, updated_at)
SELECT stack_id || '#' || logical_id, stack_id, logical_id, 1, NULL, position,
  resource_type, physical_id, status, status_reason, depends_on, properties, attributes, metadata,
  callback_context, deletion_policy, description, operation_started, next_call_at, updated_at
FROM sm_stack_resources;

DROP TABLE sm_stack_resources;
ALTER TABLE sm_stack_resources_v3 RENAME TO sm_stack_resources;
CREATE INDEX sm_stack_resources_stack_idx ON sm_stack_resources (stack_id, position);

-- The stack's current template version (its body and parameters stay in template_body and
-- parameters), the previous one (what an update rolls back to), and the id of the running
-- operation: a result computed for an earlier operation is refused when it is committed.
ALTER TABLE sm_stacks ADD COLUMN template_version INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE sm_stacks ADD COLUMN previous_template_version INTEGER;
ALTER TABLE sm_stacks ADD COLUMN previous_template_body VARCHAR;
ALTER TABLE sm_stacks ADD COLUMN previous_parameters VARCHAR;   -- JSON array like parameters
ALTER TABLE sm_stacks ADD COLUMN operation_id VARCHAR(64);
