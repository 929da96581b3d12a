/** A feature's part of the catalog: its English keys (`as const`) and, for zh-CN, the same keys translated. */
import type { PluralForms } from './catalog.js';

/** The translation of an English fragment: every key, a string or plural forms where English has them. */
export type FragmentOf<E> = { [K in keyof E]: E[K] extends string ? string : PluralForms };
