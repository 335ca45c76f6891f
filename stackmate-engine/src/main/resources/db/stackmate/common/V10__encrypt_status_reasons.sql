-- Status reasons are encrypted at rest from this version on: many come from outside (signals,
-- CloudStack error texts, custom-resource answers) and may quote what a guest was given. Rows an
-- older version wrote stay readable as they are; the next open with the store key encrypts them
-- in place (StateEncryption) and removes this marker.
INSERT INTO sm_settings (setting_name, setting_value) VALUES ('encrypt-columns-pending', 'status_reason');
