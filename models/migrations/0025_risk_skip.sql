-- Marketing queued before a follower was flagged by the risk scorer (or blocked by an admin) is
-- skipped when it is about to go, with its own reason, like opt-outs and hand-offs. An own pick
-- (`pick`) for a follower nothing is known about (only what is popular for everyone) is skipped as
-- no_signal rather than sent as a blast.
ALTER TABLE outbox
  DROP CONSTRAINT outbox_skip_reason_check,
  ADD CONSTRAINT outbox_skip_reason_check CHECK (skip_reason IN ('opted_out', 'no_consent', 'capped', 'unreachable', 'outranked', 'no_offer', 'in_handoff', 'risk_review', 'no_signal'));
