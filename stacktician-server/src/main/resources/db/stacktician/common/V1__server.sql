-- Stacktician server: users, their keys, clouds and templates. Plain SQL that runs unchanged on H2
-- and PostgreSQL; the engine's own tables (sm_*) live in the same database (EngineDatabase migrates them).
CREATE TABLE st_users (
  user_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
  user_name      VARCHAR(128) NOT NULL UNIQUE,
  password_hash  VARCHAR(512) NOT NULL,           -- Argon2id, Spring Security's encoding
  is_admin       BOOLEAN      NOT NULL,
  is_demo        BOOLEAN      NOT NULL,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE st_access_keys (
  access_key_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
  user_id        VARCHAR(64)  NOT NULL REFERENCES st_users (user_id) ON DELETE CASCADE,
  secret_sealed  VARCHAR(512) NOT NULL,           -- encrypted with the server's key (SigV4 needs the secret)
  description    VARCHAR(256),
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX st_access_keys_user_idx ON st_access_keys (user_id);

CREATE TABLE st_cloud_accounts (
  account_id     VARCHAR(64)  NOT NULL PRIMARY KEY,
  user_id        VARCHAR(64)  NOT NULL REFERENCES st_users (user_id) ON DELETE CASCADE,
  account_name   VARCHAR(128) NOT NULL,
  endpoint       VARCHAR(1024) NOT NULL,
  api_key_sealed VARCHAR(1024) NOT NULL,          -- encrypted with the server's key
  secret_sealed  VARCHAR(1024) NOT NULL,          -- encrypted with the server's key
  api_key_hint   VARCHAR(16)  NOT NULL,           -- the API key's last characters, to tell accounts apart
  simulated      BOOLEAN      NOT NULL,           -- the embedded demo simulator, not a real cloud
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  UNIQUE (user_id, account_name)
);

CREATE TABLE st_templates (
  template_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
  user_id        VARCHAR(64)  NOT NULL REFERENCES st_users (user_id) ON DELETE CASCADE,
  template_name  VARCHAR(128) NOT NULL,
  description    VARCHAR(1024),
  category       VARCHAR(128),
  is_public      BOOLEAN      NOT NULL,
  latest_version INTEGER      NOT NULL,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  UNIQUE (user_id, template_name)
);
CREATE INDEX st_templates_public_idx ON st_templates (is_public);

CREATE TABLE st_template_versions (
  template_id    VARCHAR(64)  NOT NULL REFERENCES st_templates (template_id) ON DELETE CASCADE,
  version        INTEGER      NOT NULL,
  body           VARCHAR      NOT NULL,
  is_valid       BOOLEAN      NOT NULL,
  errors         VARCHAR      NOT NULL,           -- JSON array of {path, line, column, message}
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (template_id, version)
);

CREATE TABLE st_settings (
  setting_name   VARCHAR(128) NOT NULL PRIMARY KEY,
  setting_value  VARCHAR(1024) NOT NULL           -- secrets among them sealed with the server's key
);
