-- WeChat: payment notifications already processed (replay guard) and the bot's send log (pacing, caps, idempotency).
CREATE TABLE mp_pay_notifications (
  nonce text PRIMARY KEY,
  notification_id text NOT NULL,
  order_id uuid REFERENCES orders (id) ON DELETE SET NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mp_pay_notifications_received_idx ON mp_pay_notifications (received_at);

CREATE TABLE wechat_sends (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account text NOT NULL,
  chat_id text NOT NULL,
  is_room boolean NOT NULL DEFAULT false,
  follower_id uuid REFERENCES followers (id) ON DELETE SET NULL,
  purpose text NOT NULL CHECK (purpose IN ('transactional', 'marketing')),
  idempotency_key text,
  status text NOT NULL CHECK (status IN ('sent', 'failed')),
  message_count integer NOT NULL DEFAULT 1,
  error text,
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX wechat_sends_idempotency_key ON wechat_sends (account, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX wechat_sends_account_sent_idx ON wechat_sends (account, sent_at);
CREATE INDEX wechat_sends_chat_sent_idx ON wechat_sends (account, chat_id, sent_at);
