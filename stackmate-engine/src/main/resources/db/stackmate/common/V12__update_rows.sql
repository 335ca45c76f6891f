-- An update changes a resource in place or replaces it. A row keeps the properties it had before
-- the in-place update in progress (handlers are given them, and a rollback compares against them),
-- and its UpdateReplacePolicy (what happens to the old resource once a replacement exists).
ALTER TABLE sm_stack_resources ADD COLUMN previous_properties VARCHAR;
ALTER TABLE sm_stack_resources ADD COLUMN update_replace_policy VARCHAR(32);
