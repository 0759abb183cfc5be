-- Referrals and distributors (分销): each follower's own referral code, who referred whom (the
-- first referrer of a new follower, once), each creator's referral programme (the reward coupon a
-- referring follower gets, the refund window before commission becomes payable), the followers a
-- creator approved as distributors with their commission rate, the paid orders of referred
-- followers with what they earned, and the commission ledger (pending → payable → paid out, or
-- cancelled by a refund). Device and unionid keys behind each follower are kept so self-referral
-- across linked accounts can be refused in every process.

CREATE TABLE referral_codes (
  follower_id uuid PRIMARY KEY REFERENCES followers (id) ON DELETE CASCADE,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{6,16}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per referred follower: the first referrer wins, a redelivered /start changes nothing.
CREATE TABLE referrals (
  referred_follower_id uuid PRIMARY KEY REFERENCES followers (id) ON DELETE CASCADE,
  referrer_follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  code text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('telegram', 'wechat', 'miniprogram')),
  attributed_at timestamptz NOT NULL,
  CHECK (referred_follower_id <> referrer_follower_id)
);
CREATE INDEX referrals_referrer_idx ON referrals (referrer_follower_id, attributed_at DESC);

-- Keys that identify a person or a device (`device:…`, `unionid:…`), as the mini-program login reports them.
CREATE TABLE follower_link_keys (
  key text NOT NULL CHECK (length(key) BETWEEN 3 AND 160),
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  first_seen_at timestamptz NOT NULL,
  PRIMARY KEY (key, follower_id)
);
CREATE INDEX follower_link_keys_follower_idx ON follower_link_keys (follower_id);

-- A creator's programme: the reward coupon for referring followers (a percentage, or an amount in
-- a currency and/or in Stars), how long it stays valid, and the refund window in days.
CREATE TABLE referral_programs (
  creator_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  reward_percent_off integer CHECK (reward_percent_off BETWEEN 1 AND 90),
  reward_amount_off_minor integer CHECK (reward_amount_off_minor > 0),
  reward_currency text CHECK (reward_currency IN ('CNY', 'USD')),
  reward_amount_off_stars integer CHECK (reward_amount_off_stars > 0),
  reward_valid_days integer NOT NULL DEFAULT 30 CHECK (reward_valid_days BETWEEN 1 AND 3650),
  refund_window_days integer NOT NULL DEFAULT 7 CHECK (refund_window_days BETWEEN 0 AND 365),
  is_active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL,
  CHECK (reward_amount_off_minor IS NULL OR reward_currency IS NOT NULL),
  CHECK (reward_percent_off IS NULL OR (reward_amount_off_minor IS NULL AND reward_amount_off_stars IS NULL)),
  -- Stars off go with an amount off in yuan or dollars (a coupon is a percentage or an amount).
  CHECK (reward_amount_off_stars IS NULL OR reward_amount_off_minor IS NOT NULL)
);

CREATE TABLE distributors (
  creator_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  commission_bps integer NOT NULL CHECK (commission_bps BETWEEN 1 AND 9000),
  status text NOT NULL CHECK (status IN ('approved', 'revoked')),
  decided_by text NOT NULL,
  decided_at timestamptz NOT NULL,
  PRIMARY KEY (creator_id, follower_id)
);

-- A paid order of a referred follower, attributed once to their referrer, with the reward it earned.
-- Like paid orders, these are accounting records: an erased follower's id is set null, the row stays.
CREATE TABLE referral_conversions (
  order_id uuid PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
  referrer_follower_id uuid REFERENCES followers (id) ON DELETE SET NULL,
  referred_follower_id uuid REFERENCES followers (id) ON DELETE SET NULL,
  creator_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
  reward text NOT NULL CHECK (reward IN ('coupon', 'commission', 'none')),
  reward_coupon_id uuid REFERENCES coupons (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX referral_conversions_referrer_idx ON referral_conversions (referrer_follower_id);

-- Commission: pending when the order is paid, payable once `payable_after` (paid + refund window)
-- has passed with the order still paid, cancelled by a refund, paid out by a person (audited). An
-- accounting record: an erased distributor's id is set null, the entry stays.
CREATE TABLE commission_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
  creator_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  distributor_follower_id uuid REFERENCES followers (id) ON DELETE SET NULL,
  order_amount_minor integer NOT NULL CHECK (order_amount_minor > 0),
  currency text NOT NULL,
  commission_bps integer NOT NULL,
  commission_minor integer NOT NULL CHECK (commission_minor >= 0),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'payable', 'cancelled', 'paid_out')),
  payable_after timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  payable_at timestamptz,
  cancelled_at timestamptz,
  paid_out_at timestamptz,
  payout_reference text
);
CREATE INDEX commission_entries_due_idx ON commission_entries (payable_after) WHERE status = 'pending';
CREATE INDEX commission_entries_distributor_idx ON commission_entries (creator_id, distributor_follower_id, currency, status);
