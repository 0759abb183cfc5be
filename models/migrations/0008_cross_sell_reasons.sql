-- Why a message was sent, for its template: a cross-sell offer stores the association rule behind it
-- (antecedent courses with titles, support, confidence, lift; see core/campaigns/cross-sell.ts).
ALTER TABLE outbox ADD COLUMN reason jsonb;

-- Cross-sell follows the recommender's association rules: default thresholds, unless the rule sets its own.
UPDATE retargeting_rules SET params = '{"minConfidence": 0.2, "minLift": 1}'::jsonb || params WHERE trigger = 'cross_sell';

-- The seeded template names the purchase behind the offer, unless an admin has edited it.
UPDATE retargeting_rules
SET variants = '[{"key":"A","weight":1,"text":{"zh-CN":"买了《{purchased}》的同学也买了《{course}》。","en":"Learners who bought \"{purchased}\" also bought \"{course}\"."}}]'::jsonb, updated_at = now()
WHERE name = 'cross-sell' AND variants = '[{"key":"A","weight":1,"text":{"zh-CN":"买了这门课的同学也喜欢《{course}》。","en":"Learners who took your course also liked \"{course}\"."}}]'::jsonb;
