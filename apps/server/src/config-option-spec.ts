import { z } from 'zod';

/** The schemas the option table's entries share. */
export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const nonNegativeInt = z.coerce.number().int().nonnegative();
export const bool = z.preprocess((v) => {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) {
      return true;
    }
    if (['0', 'false', 'no', 'off', ''].includes(s)) {
      return false;
    }
  }
  return v;
}, z.boolean());

export interface OptionSpec {
  flag: string;
  env?: string;
  schema: z.ZodType;
  default: unknown;
  /** Shown in --help and the docs. */
  help: string;
  /** How the flag is parsed: booleans take no value; lists repeat the flag (env: comma-separated). */
  kind: 'string' | 'boolean' | 'list';
}
