-- Chat replies queued for sending, stored as they are queued: a process crash no longer loses
-- them. Each row belongs to the process that queued it while its lease runs; the
-- process renews its leases, deletes a row in the statement that records the finished send, and
-- any process takes over rows whose lease ran out (their owner died) and sends them.
CREATE TABLE reply_queue (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  platform text NOT NULL CHECK (platform IN ('telegram', 'wechat')),
  follower_id uuid REFERENCES followers (id) ON DELETE CASCADE,
  chat_id text NOT NULL,
  purpose text NOT NULL,
  replies jsonb NOT NULL,
  owner text NOT NULL,
  lease_until timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reply_queue_owner_idx ON reply_queue (owner);
CREATE INDEX reply_queue_lease_idx ON reply_queue (lease_until);
