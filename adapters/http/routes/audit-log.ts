import { Router } from 'express';
import { z } from 'zod';
import type { AuditEntry } from '../../../core/index.js';
import { requireRole } from '../auth/console-auth.js';
import { pageQuery } from './pagination.js';

/** Reads the audit log, newest first. */
export interface AuditLogReader {
  page(filter: { subjectType?: string; subjectId?: string }, page: { limit: number; offset: number }): Promise<{ items: (Required<AuditEntry> & { id: number; at: Date })[]; total: number }>;
}

export const auditLogQuery = pageQuery.extend({
  subjectType: z.string().trim().min(1).max(64).optional(),
  subjectId: z.string().trim().min(1).max(200).optional(),
});

/** `GET /audit-log?page&pageSize&subjectType&subjectId` (admins only): who changed what, newest first. */
export function createAuditLogRouter(deps: { audit: AuditLogReader }): Router {
  const router = Router();
  router.use('/audit-log', requireRole('admin'));
  router.get('/audit-log', async (req, res) => {
    const query = auditLogQuery.parse(req.query);
    const { items, total } = await deps.audit.page(
      { ...(query.subjectType ? { subjectType: query.subjectType } : {}), ...(query.subjectId ? { subjectId: query.subjectId } : {}) },
      { limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
    );
    res.json({ items: items.map((e) => ({ ...e, at: e.at.toISOString() })), page: query.page, pageSize: query.pageSize, total });
  });
  return router;
}
