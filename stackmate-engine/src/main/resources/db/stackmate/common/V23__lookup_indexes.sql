-- Indexes for the server's look-ups across its users' stacks (plain SQL, H2 and PostgreSQL): a live
-- stack by name across scopes (an admin's DescribeStacks), the stack holding a physical id
-- (DescribeStackResources by PhysicalResourceId), a drift detection and a change set by id or name.
CREATE INDEX sm_stacks_live_name_idx ON sm_stacks (live_name);
CREATE INDEX sm_stack_resources_physical_idx ON sm_stack_resources (physical_id);
CREATE INDEX sm_stack_drift_detection_idx ON sm_stack_drift (detection_id);
CREATE INDEX sm_change_sets_name_idx ON sm_change_sets (change_set_name);
