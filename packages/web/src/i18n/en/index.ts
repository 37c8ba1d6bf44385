import { common } from './common';
import { entry } from './entry';
import { errors } from './errors';

/** The English catalogue: its keys are the type every other language must fill. */
export const en = {
  ...common,
  ...entry,
  ...errors,
};

export type MessageKey = keyof typeof en;
