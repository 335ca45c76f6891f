-- Live stack names and export names are unique per scope, not per store: the server keeps every
-- user's stacks in one store with the owner as the scope, so two users may each have a stack "web"
-- (and neither learns of the other's); the CLI keeps one scope, 'default', as before.
ALTER TABLE sm_stacks ADD COLUMN scope VARCHAR(256) DEFAULT 'default' NOT NULL;
ALTER TABLE sm_stacks DROP CONSTRAINT sm_stacks_live_name_key;
ALTER TABLE sm_stacks ADD CONSTRAINT sm_stacks_scope_live_name_key UNIQUE (scope, live_name);

ALTER TABLE sm_exports ADD COLUMN scope VARCHAR(256) DEFAULT 'default' NOT NULL;
ALTER TABLE sm_exports DROP CONSTRAINT sm_exports_pkey;
ALTER TABLE sm_exports ADD PRIMARY KEY (scope, export_name);
