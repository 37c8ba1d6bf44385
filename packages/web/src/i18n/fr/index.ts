import type { en } from '../en';
import type { TranslationOf } from '../translate';
import { common } from './common';
import { entry } from './entry';
import { errors } from './errors';

/** The French catalogue: a missing key is a type error here. */
export const fr: TranslationOf<typeof en> = {
  ...common,
  ...entry,
  ...errors,
};
