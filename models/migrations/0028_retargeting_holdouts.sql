-- Incrementality for retargeting, as for broadcasts (0021): a rule may hold out a share of the
-- occasions it finds (a stable hash of rule and follower), and members of the global control group
-- are recorded instead of silently left out. Each held-out occasion is kept once (like an outbox row
-- of the same step), with the time its message would have gone, so results compare the purchases of
-- followers sent the rule's message with those of comparable followers who were not.
ALTER TABLE retargeting_rules ADD COLUMN holdout_percent smallint NOT NULL DEFAULT 0 CHECK (holdout_percent BETWEEN 0 AND 50);

CREATE TABLE retargeting_holdouts (
  rule_id uuid NOT NULL REFERENCES retargeting_rules (id) ON DELETE CASCADE,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  step text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('control_group', 'holdout')),
  held_at timestamptz NOT NULL,
  PRIMARY KEY (rule_id, follower_id, step)
);
CREATE INDEX retargeting_holdouts_follower_idx ON retargeting_holdouts (follower_id);
