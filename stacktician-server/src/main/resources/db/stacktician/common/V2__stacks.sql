-- Who owns each engine stack (sm_stacks), in which of their cloud accounts, from which library template.
CREATE TABLE st_stacks (
  stack_key        VARCHAR(64)  NOT NULL PRIMARY KEY,   -- the id in REST paths (the ARN's last part)
  stack_id         VARCHAR(256) NOT NULL UNIQUE,        -- the engine's stack id (an ARN)
  user_id          VARCHAR(64)  NOT NULL REFERENCES st_users (user_id) ON DELETE CASCADE,
  cloud_account_id VARCHAR(64)  NOT NULL,
  template_id      VARCHAR(64),
  template_version INTEGER,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX st_stacks_user_idx ON st_stacks (user_id);
