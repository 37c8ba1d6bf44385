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

/** The English catalogue: its keys are the type every other language must fill. */
export const en = {
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

export type MessageKey = keyof typeof en;
