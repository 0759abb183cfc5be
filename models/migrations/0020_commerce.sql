-- Commerce: coupons that can be redeemed (all courses or one, a validity window, total and
-- per-follower limits, one shared code or one code per follower, automatic limited-time prices),
-- their redemptions per order, the coupon an order used, the sandbox payment provider, and each
-- account's time zone for exports.

ALTER TABLE coupons ALTER COLUMN course_id DROP NOT NULL;
ALTER TABLE coupons
  ADD COLUMN creator_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
  ADD COLUMN currency text CHECK (currency IN ('CNY', 'USD')),
  ADD COLUMN amount_off_stars integer CHECK (amount_off_stars > 0),
  ADD COLUMN valid_from timestamptz,
  ADD COLUMN per_follower_limit integer NOT NULL DEFAULT 1 CHECK (per_follower_limit > 0),
  ADD COLUMN code_kind text NOT NULL DEFAULT 'single' CHECK (code_kind IN ('single', 'per_follower', 'automatic')),
  ADD COLUMN name text NOT NULL DEFAULT '';
-- A fixed amount off names its currency; coupons made before carry their course's.
UPDATE coupons c SET currency = co.currency FROM courses co WHERE c.amount_off_minor IS NOT NULL AND co.id = c.course_id AND co.currency IN ('CNY', 'USD');
ALTER TABLE coupons ADD CONSTRAINT coupons_amount_currency CHECK (amount_off_minor IS NULL OR currency IS NOT NULL);
-- A code for all courses is unique among all-course coupons; per course it stays unique per course.
CREATE UNIQUE INDEX coupons_all_courses_code_key ON coupons (code) WHERE course_id IS NULL;
CREATE INDEX coupons_code_idx ON coupons (code);
CREATE INDEX coupons_automatic_idx ON coupons (course_id) WHERE code_kind = 'automatic' AND is_active;

-- One-per-follower codes: each follower gets their own code of a coupon, usable only by them.
CREATE TABLE coupon_codes (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{3,32}$'),
  coupon_id uuid NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT coupon_codes_one_per_follower UNIQUE (coupon_id, follower_id)
);

-- A coupon used by an order: reserved while the order waits for payment (until reserved_until),
-- redeemed once it is paid, released when the payment fails, the order is cancelled or refunded,
-- or the reservation lapsed. Limits count redeemed rows and reservations still running.
CREATE TABLE coupon_redemptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  coupon_id uuid NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
  code text NOT NULL,
  follower_id uuid REFERENCES followers (id) ON DELETE SET NULL,
  order_id uuid NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'reserved' CHECK (status IN ('reserved', 'redeemed', 'released')),
  original_amount_minor integer NOT NULL CHECK (original_amount_minor > 0),
  discount_minor integer NOT NULL CHECK (discount_minor >= 0),
  currency text NOT NULL,
  reserved_until timestamptz NOT NULL,
  release_reason text CHECK (release_reason IN ('expired', 'payment_failed', 'cancelled', 'refunded')),
  created_at timestamptz NOT NULL DEFAULT now(),
  redeemed_at timestamptz,
  released_at timestamptz
);
CREATE INDEX coupon_redemptions_coupon_idx ON coupon_redemptions (coupon_id, status);
CREATE INDEX coupon_redemptions_follower_idx ON coupon_redemptions (follower_id, coupon_id);

ALTER TABLE orders
  ADD COLUMN coupon_id uuid REFERENCES coupons (id) ON DELETE SET NULL,
  ADD COLUMN original_amount_minor integer CHECK (original_amount_minor > 0);
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_provider_check;
ALTER TABLE orders ADD CONSTRAINT orders_provider_check CHECK (provider IN ('telegram_stars', 'wechat_pay', 'wechat_virtual', 'sandbox', 'manual'));
CREATE INDEX orders_coupon_idx ON orders (coupon_id) WHERE coupon_id IS NOT NULL;

-- Exports are written in the account's own time zone.
ALTER TABLE accounts ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Shanghai';
