import { Router } from 'express';
import { issueApiToken, issueApiTokenSchema, NotFoundError, type Clock, type ConsoleUnitOfWork } from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import { HttpError } from '../errors.js';
import { idParam } from './pagination.js';

/**
 * `/tokens`: API tokens for scripts. Everyone manages their own; admins see and revoke all.
 * `POST` takes `{ name, expiresInDays? (90), scopes? (["read","write"]) }`; the plain token is in
 * its answer only.
 */
export function createTokensRouter(deps: { uow: ConsoleUnitOfWork; clock: Clock }): Router {
  const router = Router();

  router.get('/tokens', async (req, res) => {
    const principal = principalOf(req);
    const items = await deps.uow.run((r) => r.tokens.list(principal.role === 'admin' ? null : principal.id));
    res.json({ items, total: items.length, page: 1, pageSize: items.length });
  });

  router.post('/tokens', async (req, res) => {
    const principal = principalOf(req);
    if (!principal.id) throw new HttpError(403, 'account_required', 'API tokens belong to an account; log in as one to issue a token.');
    const body = issueApiTokenSchema.parse(req.body);
    const { token, info } = await issueApiToken(deps, { ...principal, id: principal.id }, body);
    res.status(201).json({ token, ...info, note: 'Store this token now; it is not shown again.' });
  });

  router.delete('/tokens/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const principal = principalOf(req);
    await deps.uow.run(async (r) => {
      const token = await r.tokens.findById(id);
      if (!token || (principal.role !== 'admin' && token.accountId !== principal.id)) throw new NotFoundError('token_not_found', `No token with id ${id}.`);
      await r.tokens.revoke(id, deps.clock.now());
      await r.audit.record({ actor: principal.actor, action: 'token.revoke', subjectType: 'api_token', subjectId: id, details: { name: token.name } });
    });
    res.status(204).end();
  });

  return router;
}
