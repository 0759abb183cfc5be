-- Marketing: each follower's own offer, campaign priority, and attribution per pick.
--
-- A broadcast's priority (higher number = higher priority, default 0): a follower sent (or about
-- to be sent, the same local day) a broadcast of a higher priority gets no broadcast of a lower one
-- that day ('outranked').
ALTER TABLE campaigns ADD COLUMN priority integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN -100 AND 100);

-- What each sent message showed: the course on its card and how it was chosen (fixed by the
-- variant, the follower's recommendation, or a cross-sell rule), so conversions are reported per pick.
ALTER TABLE outbox
  ADD COLUMN shown_course_id uuid REFERENCES courses (id),
  ADD COLUMN pick text CHECK (pick IN ('fixed', 'recommended', 'cross_sell')),
  DROP CONSTRAINT outbox_skip_reason_check,
  ADD CONSTRAINT outbox_skip_reason_check CHECK (skip_reason IN ('opted_out', 'no_consent', 'capped', 'unreachable', 'outranked', 'no_offer'));

