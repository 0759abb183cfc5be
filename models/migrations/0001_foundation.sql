-- Foundation: followers, identities, courses, the event log, orders, entitlements, audit log.
CREATE TABLE followers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  display_name text,
  locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
  has_marketing_consent boolean NOT NULL DEFAULT false,
  marketing_consent_at timestamptz,
  has_personalization_consent boolean NOT NULL DEFAULT true,
  is_opted_out boolean NOT NULL DEFAULT false,
  is_reachable boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz
);
CREATE INDEX followers_last_seen_idx ON followers (last_seen_at);

CREATE TABLE identities (
  kind text NOT NULL CHECK (kind IN ('telegram', 'wechat', 'mp_openid', 'mp_unionid')),
  external_id text NOT NULL,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, external_id)
);
CREATE INDEX identities_follower_idx ON identities (follower_id);

CREATE TABLE courses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  title_zh text NOT NULL,
  title_en text NOT NULL,
  description_zh text NOT NULL DEFAULT '',
  description_en text NOT NULL DEFAULT '',
  tags text[] NOT NULL DEFAULT '{}',
  price_minor integer NOT NULL CHECK (price_minor >= 0),
  currency text NOT NULL DEFAULT 'CNY' CHECK (currency IN ('CNY', 'USD', 'XTR')),
  price_stars integer CHECK (price_stars > 0),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'on_sale', 'archived')),
  creator_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX courses_status_created_idx ON courses (status, created_at DESC);
CREATE INDEX courses_tags_idx ON courses USING gin (tags);

CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('follow', 'unfollow', 'message', 'view', 'click', 'like', 'share', 'comment', 'checkout', 'purchase', 'refund')),
  platform text NOT NULL CHECK (platform IN ('telegram', 'wechat', 'miniprogram', 'web', 'api')),
  external_id text NOT NULL,
  course_id uuid REFERENCES courses (id),
  payload jsonb NOT NULL DEFAULT '{}',
  terms text[] NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_platform_external_id_key UNIQUE (platform, external_id)
);
CREATE INDEX events_follower_time_idx ON events (follower_id, occurred_at DESC);
CREATE INDEX events_course_kind_idx ON events (course_id, kind) WHERE course_id IS NOT NULL;
CREATE INDEX events_kind_time_idx ON events (kind, occurred_at);

CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  course_id uuid NOT NULL REFERENCES courses (id),
  amount_minor integer NOT NULL CHECK (amount_minor >= 0),
  currency text NOT NULL CHECK (currency IN ('CNY', 'USD', 'XTR')),
  provider text NOT NULL CHECK (provider IN ('telegram_stars', 'wechat_pay', 'wechat_virtual', 'manual')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'refunded', 'cancelled', 'failed')),
  provider_charge_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  paid_at timestamptz,
  refunded_at timestamptz
);
CREATE UNIQUE INDEX orders_provider_charge_key ON orders (provider, provider_charge_id) WHERE provider_charge_id IS NOT NULL;
CREATE INDEX orders_follower_idx ON orders (follower_id, created_at DESC);
CREATE INDEX orders_status_paid_idx ON orders (status, paid_at);

CREATE TABLE entitlements (
  follower_id uuid NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
  course_id uuid NOT NULL REFERENCES courses (id),
  order_id uuid REFERENCES orders (id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  PRIMARY KEY (follower_id, course_id)
);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor text NOT NULL,
  action text NOT NULL,
  subject_type text NOT NULL,
  subject_id text,
  details jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id, at DESC);
