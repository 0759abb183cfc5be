-- The one-at-a-time frequency-cap claim is gone: the dispatcher claims a batch's slots with
-- claim_cap_slots (0007), which keeps the same rules. Nothing calls claim_cap_slot any more.
DROP FUNCTION IF EXISTS claim_cap_slot(bigint, uuid, text, text, integer, integer);
