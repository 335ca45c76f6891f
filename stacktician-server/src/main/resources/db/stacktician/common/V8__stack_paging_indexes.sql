-- A page of stacks is read in one query in list order (newest first, then by key): these indexes
-- hold that order for one owner's stacks and for all (an admin's list), so a page reads its own
-- rows only; and a cloud account's stacks.
CREATE INDEX st_stacks_user_order_idx ON st_stacks (user_id, created_at DESC, stack_key);
CREATE INDEX st_stacks_order_idx ON st_stacks (created_at DESC, stack_key);
CREATE INDEX st_stacks_account_idx ON st_stacks (cloud_account_id);
