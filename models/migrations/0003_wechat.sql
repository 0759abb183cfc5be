-- WeChat: payment notifications already processed (replay guard). The bot logs its sends in `sends` (0002).
CREATE TABLE mp_pay_notifications (
  nonce text PRIMARY KEY,
  notification_id text NOT NULL,
  order_id uuid REFERENCES orders (id) ON DELETE SET NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mp_pay_notifications_received_idx ON mp_pay_notifications (received_at);
