import { z } from 'zod';

/** `?page&pageSize` of every console list; answers are `{items, page, pageSize, total}`. */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** `:id` path parameter. */
export const idParam = z.object({ id: z.uuid({ message: 'id must be a UUID' }) });
