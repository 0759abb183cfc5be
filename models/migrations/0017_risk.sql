-- Risk control: one row per follower the scorer has flagged (or an admin has decided on), the
-- history of every decision with its reasons, and checkouts held while a follower is reviewed.
-- Counters behind the score live in memory (core/risk/risk-monitor.ts); only decisions are stored.

CREATE TABLE follower_risk (
  follower_id uuid PRIMARY KEY REFERENCES followers (id) ON DELETE CASCADE,
  -- flagged: the scorer asks for review (broadcasts, experiments and checkout skip them);
  -- blocked: an admin confirmed (no replies, no sends); cleared: an admin cleared (not flagged
  -- again for the same reasons).
  status text NOT NULL CHECK (status IN ('flagged', 'blocked', 'cleared')),
  score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  -- [{ "code": "event_burst", "params": { "count": 40, "windowSeconds": 60 } }, …]
  reasons jsonb NOT NULL DEFAULT '[]',
  flagged_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  reviewed_by text,
  reviewed_at timestamptz
);
CREATE INDEX follower_risk_status_idx ON follower_risk (status, flagged_at DESC);

CREATE TABLE risk_decisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  decision text NOT NULL CHECK (decision IN ('flagged', 'blocked', 'cleared')),
  score integer NOT NULL,
  reasons jsonb NOT NULL DEFAULT '[]',
  actor text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX risk_decisions_follower_idx ON risk_decisions (follower_id, at DESC);

-- A checkout asked for while the follower was under review: the order stays pending, no invoice or
-- prepay is issued. Clearing the follower releases it; confirming cancels it.
CREATE TABLE risk_order_holds (
  order_id uuid PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  held_at timestamptz NOT NULL,
  outcome text CHECK (outcome IN ('released', 'cancelled')),
  decided_at timestamptz
);
CREATE INDEX risk_order_holds_follower_idx ON risk_order_holds (follower_id) WHERE outcome IS NULL;
