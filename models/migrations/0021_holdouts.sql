-- Incrementality: a global control group and per-broadcast holdouts.
--
-- guard_settings.control_percent: the share of all followers (a stable hash of their id, so the same
-- followers every time) who receive no marketing at all: no broadcast, no retargeting. Service
-- messages (replies, lessons, reminders) are not marketing and still go out. 0 turns it off.
--
-- campaigns.holdout_percent: the share of a broadcast's audience held out of that broadcast (a
-- stable hash of campaign and follower). Held-out and control-group members of an audience are
-- recorded in campaign_holdouts instead of the outbox, with the time they would have been sent, so
-- results can compare the purchases of those sent the broadcast with those of comparable followers
-- who were not (incremental conversions and revenue).
ALTER TABLE guard_settings ADD COLUMN control_percent smallint NOT NULL DEFAULT 0 CHECK (control_percent BETWEEN 0 AND 50);
-- best_time: each follower at their own most active local hour within the next 24 hours.
ALTER TABLE campaigns DROP CONSTRAINT campaigns_send_mode_check;
ALTER TABLE campaigns ADD CONSTRAINT campaigns_send_mode_check CHECK (send_mode IN ('now', 'at', 'follower_local', 'best_time'));
ALTER TABLE campaigns ADD COLUMN holdout_percent smallint NOT NULL DEFAULT 0 CHECK (holdout_percent BETWEEN 0 AND 50);

CREATE TABLE campaign_holdouts (
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  reason text NOT NULL CHECK (reason IN ('holdout', 'control_group')),
  -- When the follower would have been sent the broadcast: the start of their attribution window.
  held_at timestamptz NOT NULL,
  PRIMARY KEY (campaign_id, follower_id)
);
CREATE INDEX campaign_holdouts_follower_idx ON campaign_holdouts (follower_id);
