-- A user's default cloud account: where a stack runs when its request names none (the CloudFormation API's
-- CreateStack without the stack tag stacktician:account=NAME). At most one per user: set in one UPDATE.
ALTER TABLE st_cloud_accounts ADD COLUMN is_default BOOLEAN DEFAULT FALSE NOT NULL;
