-- Online experiments on recommender configurations: an admin or creator defines 2–4 variants (a
-- serving configuration each: ranker, MMR diversity, generators, blend weights) with traffic
-- shares; followers with personalisation consent are assigned one by a stable hash while it runs.
-- At most one runs at a time (the partial unique index), so a follower is in one variant at most.
CREATE TABLE recommender_experiments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'stopped')),
  variants jsonb NOT NULL CHECK (jsonb_typeof(variants) = 'array' AND jsonb_array_length(variants) BETWEEN 2 AND 4),
  attribution_hours integer NOT NULL CHECK (attribution_hours BETWEEN 1 AND 720),
  created_by uuid REFERENCES accounts (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  stopped_at timestamptz
);
CREATE UNIQUE INDEX recommender_experiments_one_running_idx ON recommender_experiments ((true)) WHERE status = 'running';
CREATE INDEX recommender_experiments_created_idx ON recommender_experiments (created_at DESC);
