import type { en } from '../en';
import type { TranslationOf } from '../translate';
import { a11y } from './a11y';
import { callTools } from './call-tools';
import { collab } from './collab';
import { common } from './common';
import { contacts } from './contacts';
import { devices } from './devices';
import { entry } from './entry';
import { errors } from './errors';
import { pairing } from './pairing';
import { room } from './room';

/** The French catalogue: a missing key is a type error here. */
export const fr: TranslationOf<typeof en> = {
  ...a11y,
  ...callTools,
  ...collab,
  ...common,
  ...contacts,
  ...devices,
  ...entry,
  ...errors,
  ...pairing,
  ...room,
};
