import { Router, type Request } from 'express';
import { z } from 'zod';
import { assertOfferedCoupons, retargetingRuleInputSchema, type RetargetingRule, type RetargetingRuleInput } from '../../../core/campaigns/index.js';
import { ConflictError, NotFoundError, type CourseRepository } from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import type { CampaignApiDeps } from './broadcasts.js';

const idParam = z.object({ id: z.uuid({ message: 'rule id must be a UUID' }) });

const ruleJson = (r: RetargetingRule) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });

/** CRUD for retargeting rules: `GET/POST /retargeting-rules`, `GET/PUT/PATCH/DELETE /retargeting-rules/:id`; a coupon a variant offers must exist (with `coupons`). */
export function createRetargetingRulesRouter(deps: Pick<CampaignApiDeps, 'repos' | 'coupons'> & { courses: Pick<CourseRepository, 'findById'> }): Router {
  const router = Router();
  const { rules } = deps.repos;
  const checked = async (req: Request, input: RetargetingRuleInput): Promise<RetargetingRuleInput> => {
    if (deps.coupons) await assertOfferedCoupons({ coupons: deps.coupons, courses: deps.courses }, principalOf(req), input.variants);
    return input;
  };

  const load = async (id: string) => {
    const rule = await rules.findById(id);
    if (!rule) throw new NotFoundError('rule_not_found', `No retargeting rule with id ${id}.`);
    return rule;
  };

  router.get('/retargeting-rules', async (_req, res) => {
    res.json({ items: (await rules.list()).map(ruleJson) });
  });
  router.get('/retargeting-rules/:id', async (req, res) => {
    res.json(ruleJson(await load(idParam.parse(req.params).id)));
  });
  router.post('/retargeting-rules', async (req, res) => {
    const input = await checked(req, retargetingRuleInputSchema.parse(req.body));
    const rule = await rules.create(input);
    if (!rule) throw new ConflictError('rule_name_taken', `A retargeting rule named ${input.name} exists; choose another name or edit that rule.`);
    res.status(201).json(ruleJson(rule));
  });
  router.put('/retargeting-rules/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    await load(id);
    res.json(ruleJson((await rules.update(id, await checked(req, retargetingRuleInputSchema.parse(req.body))))!));
  });
  router.patch('/retargeting-rules/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const current = await load(id);
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = current;
    const merged = retargetingRuleInputSchema.parse({ ...fields, ...z.record(z.string(), z.unknown()).parse(req.body) });
    res.json(ruleJson((await rules.update(id, await checked(req, merged)))!));
  });
  router.delete('/retargeting-rules/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    if (!(await rules.delete(id))) throw new NotFoundError('rule_not_found', `No retargeting rule with id ${id}.`);
    res.status(204).end();
  });
  return router;
}
