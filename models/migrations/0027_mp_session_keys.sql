-- The session_key of each mini-program login (from code2session), kept on the server only: WeChat
-- virtual payment needs the payer's own signature over the payment parameters, made with it. One
-- row per openid, replaced at every login; gone with the follower.
CREATE TABLE mp_session_keys (
  open_id text PRIMARY KEY,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  session_key text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mp_session_keys_follower_idx ON mp_session_keys (follower_id);
