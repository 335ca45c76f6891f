-- Which library template version each template version of a stack came from, keyed by the engine's number of the
-- stack's template version (sm_stacks.template_version): an update from the library adds its row, one from a body
-- none, one with the previous template copies the current row; an update's rollback makes the previous number
-- current again, and with it that version's source. A stack view joins the row of its current number.
CREATE TABLE st_stack_templates (
  stack_id               VARCHAR(256) NOT NULL REFERENCES st_stacks (stack_id) ON DELETE CASCADE,
  stack_template_version INTEGER      NOT NULL,   -- sm_stacks.template_version
  template_id            VARCHAR(64)  NOT NULL,   -- st_templates.template_id (the template may since be deleted)
  template_version       INTEGER      NOT NULL,
  PRIMARY KEY (stack_id, stack_template_version)
);
-- A stack made by an earlier server kept the library template it was created from: its first version's.
INSERT INTO st_stack_templates (stack_id, stack_template_version, template_id, template_version)
  SELECT stack_id, 1, template_id, template_version FROM st_stacks
  WHERE template_id IS NOT NULL AND template_version IS NOT NULL;
ALTER TABLE st_stacks DROP COLUMN template_id;
ALTER TABLE st_stacks DROP COLUMN template_version;
-- The library template version a change set's template came from (none: a body), made its stack's when executed.
CREATE TABLE st_change_set_templates (
  change_set_id    VARCHAR(640) NOT NULL PRIMARY KEY,   -- sm_change_sets.change_set_id
  template_id      VARCHAR(64)  NOT NULL,
  template_version INTEGER      NOT NULL
);
