-- Learning jobs: lesson reminders (a service message, not marketing) and the follower's switch
-- for them.

-- Reminders are on unless the follower turned them off in chat ("不要提醒", "stop reminders").
-- Separate from is_opted_out: a marketing opt-out does not stop reminders of a course they bought.
ALTER TABLE followers ADD COLUMN wants_lesson_reminders boolean NOT NULL DEFAULT true;

-- Service sends (lesson reminders) are logged apart from answers and marketing.
ALTER TABLE sends DROP CONSTRAINT sends_purpose_check;
ALTER TABLE sends ADD CONSTRAINT sends_purpose_check CHECK (purpose IN ('transactional', 'marketing', 'service'));

-- One reminder per follower, course and local day: the row is the claim, so a rerun or a second
-- instance finds it and sends nothing. A claim left 'sending' by a dead process is taken again
-- after its lease, and the send's idempotency key keeps the message from going twice.
CREATE TABLE lesson_reminders (
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  local_day date NOT NULL,
  lesson_id uuid REFERENCES course_lessons (id) ON DELETE SET NULL,
  reason text NOT NULL CHECK (reason IN ('unlocked', 'cohort_start', 'stalled')),
  status text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'sent', 'blocked', 'failed')),
  claimed_at timestamptz NOT NULL,
  finished_at timestamptz,
  error text,
  PRIMARY KEY (follower_id, course_id, local_day)
);
CREATE INDEX lesson_reminders_day_idx ON lesson_reminders (follower_id, local_day);

-- Learning feeds retargeting: completed a course → offer the next one (cross-sell from it);
-- stalled in a course → nudge back to it. Same list as core/campaigns/campaign-types.ts
-- RETARGETING_TRIGGERS. Off until an admin turns them on: they are new marketing.
ALTER TABLE retargeting_rules DROP CONSTRAINT retargeting_rules_trigger_check;
ALTER TABLE retargeting_rules ADD CONSTRAINT retargeting_rules_trigger_check CHECK (trigger IN (
  'viewed_not_bought', 'abandoned_checkout', 'dormant', 'new_course_match', 'cross_sell', 'completed_course', 'stalled_learning'));
INSERT INTO retargeting_rules (name, trigger, params, variants, delay_minutes, max_per_follower, conversion_goal, is_enabled) VALUES
  ('completed-course', 'completed_course', '{"hours": 24, "minSupport": 2}',
   '[{"key":"A","weight":1,"text":{"zh-CN":"恭喜学完《{purchased}》！下一步推荐你学《{course}》。","en":"Congratulations on finishing \"{purchased}\"! Next, we suggest \"{course}\"."}}]',
   0, 3, 'purchase', false),
  ('stalled-learning', 'stalled_learning', '{"days": 7}',
   '[{"key":"A","weight":1,"text":{"zh-CN":"《{course}》还在等你，今天花十分钟继续学习吧。","en":"\"{course}\" is waiting for you: ten minutes today keeps you going."}}]',
   0, 2, 'click', false)
ON CONFLICT (name) DO NOTHING;
