-- Campaigns: broadcasts, retargeting rules, the transactional outbox, frequency caps, guard
-- settings, cron schedules with their lease and run history.

CREATE TABLE campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sending', 'paused', 'cancelled', 'completed')),
  segment jsonb NOT NULL DEFAULT '{}',
  -- [{ key, weight, text: { 'zh-CN', en }, courseId? }]
  variants jsonb NOT NULL,
  allocation text NOT NULL DEFAULT 'ab' CHECK (allocation IN ('ab', 'bandit')),
  -- now | at (one instant) | follower_local (a wall time in each follower's own zone)
  send_mode text NOT NULL DEFAULT 'now' CHECK (send_mode IN ('now', 'at', 'follower_local')),
  send_at timestamptz,
  local_date text,
  local_time text,
  attribution_hours integer NOT NULL DEFAULT 72 CHECK (attribution_hours BETWEEN 1 AND 720),
  audience_size integer,
  created_by text NOT NULL DEFAULT 'admin',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  enqueued_at timestamptz,
  completed_at timestamptz
);
CREATE INDEX campaigns_status_send_idx ON campaigns (status, send_at);

CREATE TABLE retargeting_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  trigger text NOT NULL CHECK (trigger IN ('viewed_not_bought', 'abandoned_checkout', 'dormant', 'new_course_match', 'cross_sell')),
  -- trigger parameters, e.g. { "hours": 24 } or { "days": 30 }
  params jsonb NOT NULL DEFAULT '{}',
  -- [{ key, weight, text: { 'zh-CN', en } }]; {course} is replaced by the course title
  variants jsonb NOT NULL,
  allocation text NOT NULL DEFAULT 'bandit' CHECK (allocation IN ('ab', 'bandit')),
  delay_minutes integer NOT NULL DEFAULT 0 CHECK (delay_minutes >= 0),
  max_per_follower integer NOT NULL DEFAULT 1 CHECK (max_per_follower >= 1),
  is_enabled boolean NOT NULL DEFAULT true,
  conversion_goal text NOT NULL DEFAULT 'purchase' CHECK (conversion_goal IN ('click', 'purchase')),
  attribution_hours integer NOT NULL DEFAULT 72 CHECK (attribution_hours BETWEEN 1 AND 720),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO retargeting_rules (name, trigger, params, variants, delay_minutes, max_per_follower, conversion_goal) VALUES
  ('viewed-not-bought', 'viewed_not_bought', '{"hours": 24}',
   '[{"key":"A","weight":1,"text":{"zh-CN":"还在考虑《{course}》吗？现在加入正是时候。","en":"Still thinking about \"{course}\"? Now is a good time to start."}},{"key":"B","weight":1,"text":{"zh-CN":"《{course}》的同学们都在进步，你也来吧！","en":"Learners in \"{course}\" are making progress. Join them!"}}]',
   0, 2, 'purchase'),
  ('abandoned-checkout', 'abandoned_checkout', '{"hours": 2}',
   '[{"key":"A","weight":1,"text":{"zh-CN":"你的《{course}》订单还没完成，点这里继续。","en":"Your order for \"{course}\" is not finished yet. Tap to complete it."}}]',
   0, 1, 'purchase'),
  ('dormant', 'dormant', '{"days": 30}',
   '[{"key":"A","weight":1,"text":{"zh-CN":"好久不见！看看为你挑选的《{course}》。","en":"Long time no see! Have a look at \"{course}\", picked for you."}}]',
   0, 1, 'click'),
  ('new-course-match', 'new_course_match', '{"days": 7}',
   '[{"key":"A","weight":1,"text":{"zh-CN":"新课上线：《{course}》，和你关注的主题相关。","en":"New course: \"{course}\", on topics you follow."}}]',
   0, 3, 'click'),
  ('cross-sell', 'cross_sell', '{"hours": 48, "minSupport": 2}',
   '[{"key":"A","weight":1,"text":{"zh-CN":"买了这门课的同学也喜欢《{course}》。","en":"Learners who took your course also liked \"{course}\"."}}]',
   0, 2, 'purchase');

-- Sends go through this table: one row per (follower, campaign, step), so planning twice, a
-- rescan or a crash never produces a second message.
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  source text NOT NULL CHECK (source IN ('broadcast', 'retargeting')),
  campaign_id uuid NOT NULL,
  step text NOT NULL,
  variant text,
  course_id uuid REFERENCES courses (id),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'blocked', 'skipped', 'cancelled')),
  skip_reason text CHECK (skip_reason IN ('opted_out', 'no_consent', 'capped', 'unreachable')),
  held_reason text CHECK (held_reason IN ('quiet_hours', 'rate_limited', 'retry')),
  not_before timestamptz NOT NULL,
  lease_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  provider_message_ids text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  CONSTRAINT outbox_follower_campaign_step_key UNIQUE (follower_id, campaign_id, step)
);
CREATE INDEX outbox_due_idx ON outbox (not_before, id) WHERE status IN ('queued', 'sending');
CREATE INDEX outbox_campaign_status_idx ON outbox (campaign_id, status);
CREATE INDEX outbox_follower_sent_idx ON outbox (follower_id, sent_at) WHERE status = 'sent';

-- Frequency caps: one counter row per follower and local day / ISO week, incremented under a row
-- lock only below the cap (claim_cap_slot), so the first message to claim a slot wins. The claim
-- row makes a retried send reuse its slot instead of taking a second one.
CREATE TABLE cap_counters (
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  period_key text NOT NULL,
  used integer NOT NULL,
  PRIMARY KEY (follower_id, period_key)
);
CREATE TABLE cap_claims (
  outbox_id bigint PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
  follower_id uuid NOT NULL,
  day_key text NOT NULL,
  week_key text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now()
);

-- Takes a daily and a weekly slot for one message in one statement (one commit): both or neither.
-- Row locks on the two counters serialise concurrent claims for one follower, in a fixed order.
CREATE FUNCTION claim_cap_slot(p_outbox_id bigint, p_follower_id uuid, p_day_key text, p_week_key text, p_daily_cap integer, p_weekly_cap integer)
RETURNS boolean LANGUAGE plpgsql AS $fn$
DECLARE
  day_used integer;
  week_used integer;
BEGIN
  -- Asynchronous commit for this bookkeeping only: a PostgreSQL crash may forget the last few hundred
  -- milliseconds of claims (a follower could get one message over the cap), never a process crash.
  PERFORM set_config('synchronous_commit', 'off', true);
  INSERT INTO cap_claims (outbox_id, follower_id, day_key, week_key) VALUES (p_outbox_id, p_follower_id, p_day_key, p_week_key)
  ON CONFLICT (outbox_id) DO NOTHING;
  IF NOT FOUND THEN
    RETURN true;
  END IF;
  INSERT INTO cap_counters (follower_id, period_key, used) VALUES (p_follower_id, 'd:' || p_day_key, 0), (p_follower_id, 'w:' || p_week_key, 0)
  ON CONFLICT (follower_id, period_key) DO NOTHING;
  SELECT used INTO day_used FROM cap_counters WHERE follower_id = p_follower_id AND period_key = 'd:' || p_day_key FOR UPDATE;
  SELECT used INTO week_used FROM cap_counters WHERE follower_id = p_follower_id AND period_key = 'w:' || p_week_key FOR UPDATE;
  IF day_used >= p_daily_cap OR week_used >= p_weekly_cap THEN
    DELETE FROM cap_claims WHERE outbox_id = p_outbox_id;
    RETURN false;
  END IF;
  UPDATE cap_counters SET used = used + 1 WHERE follower_id = p_follower_id AND period_key IN ('d:' || p_day_key, 'w:' || p_week_key);
  RETURN true;
END
$fn$;

CREATE TABLE guard_settings (
  id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  daily_cap integer NOT NULL DEFAULT 2 CHECK (daily_cap >= 0),
  weekly_cap integer NOT NULL DEFAULT 5 CHECK (weekly_cap >= 0),
  quiet_start text NOT NULL DEFAULT '21:00',
  quiet_end text NOT NULL DEFAULT '09:00',
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO guard_settings (id) VALUES (1);

CREATE TABLE follower_segments (
  follower_id uuid PRIMARY KEY REFERENCES followers (id) ON DELETE CASCADE,
  lifecycle text NOT NULL,
  interest_tags text[] NOT NULL DEFAULT '{}',
  refreshed_at timestamptz NOT NULL
);

CREATE TABLE schedules (
  name text PRIMARY KEY,
  cron text NOT NULL,
  time_zone text NOT NULL DEFAULT 'UTC',
  is_enabled boolean NOT NULL DEFAULT true,
  description text NOT NULL DEFAULT '',
  -- The lease: a tick fires only for the instance whose conditional update moves this forward.
  last_fired_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO schedules (name, cron, time_zone, description) VALUES
  ('retargeting-scan', '*/15 * * * *', 'UTC', 'Finds followers matching retargeting rules and enqueues their messages'),
  ('broadcast-dispatcher', '* * * * *', 'UTC', 'Plans scheduled broadcasts that are due and completes finished ones'),
  ('segment-refresh', '0 * * * *', 'UTC', 'Recomputes lifecycle stage and interest tags per follower'),
  ('model-retrain', '0 3 * * *', 'Asia/Shanghai', 'Retrains the recommender'),
  ('daily-report', '0 8 * * *', 'Asia/Shanghai', 'Computes yesterday''s followers, events, orders, revenue and sends');

CREATE TABLE schedule_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL REFERENCES schedules (name) ON DELETE CASCADE,
  trigger text NOT NULL CHECK (trigger IN ('cron', 'manual')),
  tick_at timestamptz NOT NULL,
  instance text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  duration_ms integer,
  outcome text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'ok', 'error', 'not_available')),
  error text,
  result jsonb NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX schedule_runs_cron_tick_key ON schedule_runs (name, tick_at) WHERE trigger = 'cron';
CREATE INDEX schedule_runs_name_idx ON schedule_runs (name, started_at DESC);
