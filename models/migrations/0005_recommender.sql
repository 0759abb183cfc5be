-- Versioned trained models (recommender, segments): training inserts a new version, serving reads the newest.
CREATE TABLE model_artifacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL,
  version integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  metrics jsonb NOT NULL DEFAULT '{}',
  data jsonb NOT NULL,
  CONSTRAINT model_artifacts_kind_version_key UNIQUE (kind, version)
);
CREATE INDEX model_artifacts_kind_version_idx ON model_artifacts (kind, version DESC);
