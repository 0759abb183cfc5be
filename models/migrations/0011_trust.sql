-- API tokens get scopes and always expire. Tokens issued before this kept every power of their
-- account, so they keep all three scopes; those that never expired now expire in 90 days.
ALTER TABLE api_tokens ADD COLUMN scopes text[] NOT NULL DEFAULT ARRAY['read', 'write', 'admin'];
ALTER TABLE api_tokens ALTER COLUMN scopes DROP DEFAULT;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scopes_check CHECK (scopes <@ ARRAY['read', 'write', 'admin'] AND cardinality(scopes) > 0);
UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL AND revoked_at IS NULL;

-- Erasing a follower keeps their paid and refunded orders for accounting (amount, currency,
-- course, times), with the follower link dropped; other orders are deleted with them.
ALTER TABLE orders ALTER COLUMN follower_id DROP NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_follower_id_fkey;
ALTER TABLE orders ADD CONSTRAINT orders_follower_id_fkey FOREIGN KEY (follower_id) REFERENCES followers (id) ON DELETE SET NULL;
