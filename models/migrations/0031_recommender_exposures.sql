-- Every list a follower in a recommender experiment was shown (Telegram, WeChat, the mini-program),
-- written in batches off the serving path. list_id is made when the list is served, so a retried
-- batch records nothing twice. Conversions are not stored: they are the follower's click, checkout
-- and purchase events (and paid orders) on a shown course, attributed when results are read.
CREATE TABLE recommender_exposures (
  list_id uuid PRIMARY KEY,
  experiment_id uuid NOT NULL REFERENCES recommender_experiments (id) ON DELETE CASCADE,
  variant text NOT NULL,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  course_ids uuid[] NOT NULL,
  channel text NOT NULL,
  exposed_at timestamptz NOT NULL
);
CREATE INDEX recommender_exposures_experiment_idx ON recommender_exposures (experiment_id, variant);
CREATE INDEX recommender_exposures_follower_idx ON recommender_exposures (follower_id, exposed_at DESC);
