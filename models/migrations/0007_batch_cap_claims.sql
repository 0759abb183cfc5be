-- Frequency-cap slots for a whole lease batch of the outbox in one statement (one round trip and
-- one commit instead of one per message), with the rules of claim_cap_slot: a message takes a daily
-- and a weekly slot or neither, a message that holds its slots already (a retry) keeps them, and the
-- first message to claim a slot wins — here, the earlier one in the arrays. Returns the outbox ids
-- that hold their slots.
--
-- The claims of one call are made at one instant, so each follower has one day and one week key in
-- it; the function refuses anything else. The counter rows are created and locked in follower order,
-- the same in every transaction, so dispatchers claiming for overlapping followers wait for each
-- other instead of deadlocking; a follower's claims are written only under those locks. A message
-- or follower deleted since the batch was leased gets no slot and does not fail the others.
CREATE FUNCTION claim_cap_slots(p_outbox_ids bigint[], p_follower_ids uuid[], p_day_keys text[], p_week_keys text[], p_daily_cap integer, p_weekly_cap integer)
RETURNS SETOF bigint LANGUAGE plpgsql AS $fn$
BEGIN
  -- Asynchronous commit, as claim_cap_slot: a PostgreSQL crash may forget the last few hundred
  -- milliseconds of claims (a follower could get one message over the cap), never a process crash.
  PERFORM set_config('synchronous_commit', 'off', true);
  IF EXISTS (SELECT 1 FROM unnest(p_follower_ids, p_day_keys, p_week_keys) AS x(follower_id, day_key, week_key)
             GROUP BY x.follower_id HAVING count(DISTINCT (x.day_key, x.week_key)) > 1) THEN
    RAISE EXCEPTION 'claim_cap_slots: a follower has claims for two different days or weeks in one call; claim those in separate calls';
  END IF;

  INSERT INTO cap_counters (follower_id, period_key, used)
  SELECT DISTINCT x.follower_id, p.period_key, 0
  FROM unnest(p_follower_ids, p_day_keys, p_week_keys) AS x(follower_id, day_key, week_key)
  CROSS JOIN LATERAL (VALUES ('d:' || x.day_key), ('w:' || x.week_key)) AS p(period_key)
  WHERE EXISTS (SELECT 1 FROM followers f WHERE f.id = x.follower_id)
  ORDER BY 1, 2
  ON CONFLICT (follower_id, period_key) DO NOTHING;
  PERFORM 1 FROM cap_counters c
  WHERE (c.follower_id, c.period_key) IN (
    SELECT x.follower_id, p.period_key
    FROM unnest(p_follower_ids, p_day_keys, p_week_keys) AS x(follower_id, day_key, week_key)
    CROSS JOIN LATERAL (VALUES ('d:' || x.day_key), ('w:' || x.week_key)) AS p(period_key))
  ORDER BY c.follower_id, c.period_key
  FOR UPDATE;

  RETURN QUERY
  WITH input AS (
    SELECT x.* FROM unnest(p_outbox_ids, p_follower_ids, p_day_keys, p_week_keys) WITH ORDINALITY AS x(outbox_id, follower_id, day_key, week_key, position)
    WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.id = x.outbox_id)),
  held AS (
    SELECT input.outbox_id FROM input JOIN cap_claims c ON c.outbox_id = input.outbox_id),
  ranked AS (
    SELECT input.*, row_number() OVER (PARTITION BY input.follower_id ORDER BY input.position) AS n, d.used AS day_used, w.used AS week_used
    FROM input
    JOIN cap_counters d ON d.follower_id = input.follower_id AND d.period_key = 'd:' || input.day_key
    JOIN cap_counters w ON w.follower_id = input.follower_id AND w.period_key = 'w:' || input.week_key
    WHERE input.outbox_id NOT IN (SELECT outbox_id FROM held)),
  claimed AS (
    INSERT INTO cap_claims (outbox_id, follower_id, day_key, week_key)
    SELECT r.outbox_id, r.follower_id, r.day_key, r.week_key FROM ranked r
    WHERE r.day_used + r.n <= p_daily_cap AND r.week_used + r.n <= p_weekly_cap
    ON CONFLICT (outbox_id) DO NOTHING
    RETURNING outbox_id, follower_id, day_key, week_key),
  counted AS (
    UPDATE cap_counters c SET used = c.used + g.n
    FROM (SELECT follower_id, day_key, week_key, count(*)::int AS n FROM claimed GROUP BY follower_id, day_key, week_key) g
    WHERE c.follower_id = g.follower_id AND c.period_key IN ('d:' || g.day_key, 'w:' || g.week_key))
  SELECT outbox_id FROM held
  UNION ALL
  SELECT outbox_id FROM claimed;
END
$fn$;
