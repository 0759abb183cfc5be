-- Hand-off to a person (转人工): a conversation a follower's chat is handed to, shown in the
-- console inbox. Opened when the follower asks for a person, asks for a refund, complains, or is
-- not understood several times in a row; the bot stays quiet while it is open (the follower's
-- messages are recorded as events and shown in the inbox) and staff reply through the same bot.
-- At most one hand-off per follower is not closed.
CREATE TABLE handoffs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  -- Whose inbox it is in besides the admins': the creator of the course it is about (the course
  -- named or in focus, else the follower's latest paid course); NULL: the admins' only.
  creator_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
  course_id uuid REFERENCES courses (id) ON DELETE SET NULL,
  -- The chat it was opened from: staff replies go there, through that platform's bot.
  platform text NOT NULL CHECK (platform IN ('telegram', 'wechat')),
  chat_id text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('asked', 'not_understood', 'refund', 'complaint')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  opened_at timestamptz NOT NULL,
  -- Since when the follower waits for a person: set on opening and on a follower message after a
  -- staff reply, cleared by a staff reply. The inbox lists waiting hand-offs first, oldest first.
  waiting_since timestamptz,
  first_response_at timestamptz,
  last_activity_at timestamptz NOT NULL,
  -- The one "a person will reply" notice a follower gets while the hand-off is open.
  is_notice_sent boolean NOT NULL DEFAULT false,
  closed_at timestamptz,
  closed_by text,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE UNIQUE INDEX handoffs_one_open_per_follower ON handoffs (follower_id) WHERE status <> 'closed';
CREATE INDEX handoffs_inbox_idx ON handoffs (status, waiting_since, last_activity_at DESC);
CREATE INDEX handoffs_creator_idx ON handoffs (creator_id, status) WHERE creator_id IS NOT NULL;

-- Staff replies, keyed by the client's idempotency key: a retried reply is the same row and is
-- sent once (the send log's key is `handoff:<id>`).
CREATE TABLE handoff_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  handoff_id uuid NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
  client_key text NOT NULL,
  author text NOT NULL,
  text text NOT NULL,
  status text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'sent', 'failed')),
  error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  UNIQUE (handoff_id, client_key)
);

-- Since when a person handles the follower (NULL: the bot does). Kept with the follower row so
-- the chat path and the marketing dispatcher, which read that row anyway, need no other lookup.
ALTER TABLE followers ADD COLUMN in_handoff_since timestamptz;

-- Marketing to a follower a person is talking to is skipped.
ALTER TABLE outbox
  DROP CONSTRAINT outbox_skip_reason_check,
  ADD CONSTRAINT outbox_skip_reason_check CHECK (skip_reason IN ('opted_out', 'no_consent', 'capped', 'unreachable', 'outranked', 'no_offer', 'in_handoff'));

-- How many free-text turns in a row the dialog did not understand (a hand-off opens at a threshold).
ALTER TABLE dialog_memory ADD COLUMN misunderstood_turns integer NOT NULL DEFAULT 0;
