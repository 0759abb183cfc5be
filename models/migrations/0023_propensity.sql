-- Purchase propensity and churn risk per follower, and the course that comes next in a path.
--
-- follower_scores: written in one batch at each model retrain (core/recommend/propensity), read by
-- the persona and by segment SQL (minPurchasePropensity, churnRisk, topPropensityPercent).
-- purchase_propensity: the probability of a purchase within horizon_days of scored_at;
-- churn_risk: the probability of no activity at all within horizon_days; churn_band: the band
-- core's CHURN_RISK_BANDS gives that probability (one definition, computed in core when scoring);
-- purchase_top_percent: 1–100, the follower's place among everyone scored in the same run
-- (1: the most likely 1 %). A follower with no events yet has no row.
CREATE TABLE follower_scores (
  follower_id uuid PRIMARY KEY REFERENCES followers (id) ON DELETE CASCADE,
  purchase_propensity double precision NOT NULL CHECK (purchase_propensity BETWEEN 0 AND 1),
  purchase_top_percent smallint NOT NULL CHECK (purchase_top_percent BETWEEN 1 AND 100),
  churn_risk double precision NOT NULL CHECK (churn_risk BETWEEN 0 AND 1),
  churn_band text NOT NULL CHECK (churn_band IN ('low', 'medium', 'high')),
  horizon_days smallint NOT NULL CHECK (horizon_days > 0),
  model_version integer NOT NULL,
  scored_at timestamptz NOT NULL
);
CREATE INDEX follower_scores_propensity_idx ON follower_scores (purchase_propensity DESC);

-- The course a creator says comes after this one (a series or level path): a variant with
-- `pick: "next_in_path"` offers it to followers who own or finished this one.
ALTER TABLE courses ADD COLUMN next_course_id uuid REFERENCES courses (id) ON DELETE SET NULL CHECK (next_course_id <> id);
CREATE INDEX courses_next_course_idx ON courses (next_course_id) WHERE next_course_id IS NOT NULL;

ALTER TABLE outbox
  DROP CONSTRAINT outbox_pick_check,
  ADD CONSTRAINT outbox_pick_check CHECK (pick IN ('fixed', 'recommended', 'cross_sell', 'next_in_path'));
