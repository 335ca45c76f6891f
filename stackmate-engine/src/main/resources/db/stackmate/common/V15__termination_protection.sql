-- CloudFormation's EnableTerminationProtection: while true, delete-stack is refused. A nested
-- stack takes its root stack's protection, so only root stacks have it set.
ALTER TABLE sm_stacks ADD COLUMN termination_protection BOOLEAN DEFAULT FALSE NOT NULL;
