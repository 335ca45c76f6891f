-- Where a stack's template was read from (a file path or URL), so a nested stack's relative TemplateURL
-- resolves against it.
ALTER TABLE sm_stacks ADD COLUMN template_url VARCHAR(4096);
