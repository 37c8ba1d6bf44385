import { callTools } from './call-tools';
import { collab } from './collab';
import { common } from './common';
import { contacts } from './contacts';
import { devices } from './devices';
import { entry } from './entry';
import { errors } from './errors';
import { room } from './room';

/** The English catalogue: its keys are the type every other language must fill. */
export const en = {
  ...callTools,
  ...collab,
  ...common,
  ...contacts,
  ...devices,
  ...entry,
  ...errors,
  ...room,
};

export type MessageKey = keyof typeof en;
