import { z } from 'zod';

/** Reads a boolean variable written as true/false/1/0/yes/no. */
export const envBoolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

/** Reads a whole number within bounds. */
export const envInt = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

/** An optional non-empty string; an empty value counts as unset. */
export const envOptional = () =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/** An optional URL; an empty value counts as unset. */
export const envUrl = (protocols: RegExp, hint: string) =>
  envOptional().refine((v) => v === undefined || (URL.canParse(v) && protocols.test(v)), { message: hint });
