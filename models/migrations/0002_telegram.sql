-- Telegram channel: every outbound send, and the update_ids already processed (platforms redeliver).
CREATE TABLE sends (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  platform text NOT NULL CHECK (platform IN ('telegram', 'wechat', 'miniprogram', 'web', 'api')),
  follower_id uuid REFERENCES followers (id) ON DELETE SET NULL,
  chat_id text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('transactional', 'marketing')),
  idempotency_key text,
  status text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'sent', 'blocked', 'rate_limited', 'failed')),
  reply_count integer NOT NULL CHECK (reply_count >= 0),
  provider_message_ids text[] NOT NULL DEFAULT '{}',
  error text,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE UNIQUE INDEX sends_platform_idempotency_key ON sends (platform, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX sends_follower_time_idx ON sends (follower_id, created_at DESC);
CREATE INDEX sends_status_time_idx ON sends (status, created_at);

CREATE TABLE telegram_processed_updates (
  bot_id text NOT NULL,
  update_id bigint NOT NULL,
  kind text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bot_id, update_id)
);
CREATE INDEX telegram_processed_updates_time_idx ON telegram_processed_updates (received_at);
