import { Router } from 'express';
import { z } from 'zod';
import { createAccount, NotFoundError, ROLES, type CreateAccountDeps, type PasswordHasher } from '../../../core/index.js';
import { principalOf, requireRole } from '../auth/console-auth.js';
import { HttpError } from '../errors.js';
import { idParam, pageQuery } from './pagination.js';

export const createAccountBody = z.object({
  email: z.string().max(200),
  password: z.string().max(200),
  displayName: z.string().max(100).optional(),
  role: z.enum(ROLES),
});

export const updateAccountBody = z
  .object({
    displayName: z.string().trim().max(100).optional(),
    role: z.enum(ROLES).optional(),
    isDisabled: z.boolean().optional(),
    password: z.string().min(10).max(200).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'send at least one field to change' });

/**
 * `/accounts` (admins only): list, create, and change role, name, password or disabled state. A
 * password change or a disable ends the account's sessions and revokes its API tokens.
 */
export function createAccountsRouter(deps: CreateAccountDeps & { hasher: PasswordHasher }): Router {
  const router = Router();
  router.use('/accounts', requireRole('admin'));

  router.get('/accounts', async (req, res) => {
    const query = pageQuery.parse(req.query);
    const { items, total } = await deps.uow.run((r) => r.accounts.list(query));
    res.json({ items, total, page: query.page, pageSize: query.pageSize });
  });

  router.post('/accounts', async (req, res) => {
    const body = createAccountBody.parse(req.body);
    res.status(201).json(await createAccount(deps, body, principalOf(req).actor));
  });

  router.patch('/accounts/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const body = updateAccountBody.parse(req.body);
    const principal = principalOf(req);
    if (id === principal.id && (body.role === 'creator' || body.isDisabled)) {
      throw new HttpError(409, 'cannot_demote_self', 'You cannot demote or disable your own account; ask another admin.');
    }
    const passwordHash = body.password ? await deps.hasher.hash(body.password) : undefined;
    const account = await deps.uow.run(async (r) => {
      const updated = await r.accounts.update(id, { displayName: body.displayName, role: body.role, isDisabled: body.isDisabled, passwordHash });
      if (!updated) throw new NotFoundError('account_not_found', `No account with id ${id}.`);
      let revokedTokens = 0;
      if (body.isDisabled || passwordHash) {
        // A new password (or a disabled account) ends every way in that the old one opened.
        await r.sessions.deleteForAccount(id);
        revokedTokens = await r.tokens.revokeForAccount(id, deps.clock.now());
      }
      const changed = Object.keys(body).filter((k) => k !== 'password');
      await r.audit.record({ actor: principal.actor, action: 'account.update', subjectType: 'account', subjectId: id, details: { changed, passwordChanged: Boolean(passwordHash), revokedTokens } });
      return updated;
    });
    res.json(account);
  });

  return router;
}
