import { describe, expect, it } from 'vitest';
import { retentionNote } from './ChatPanel';

describe('retentionNote', () => {
  it('says who can read the chat and for how long it is kept', () => {
    expect(retentionNote({ retentionDays: 30, retentionMessages: 5000 })).toBe(
      'Anyone who joins this room can read its chat. Messages are kept for 30 days (the latest 5,000 messages).',
    );
    expect(retentionNote({ retentionDays: 1, retentionMessages: 0 })).toContain('kept for 1 day.');
    expect(retentionNote({ retentionDays: 0, retentionMessages: 500 })).toContain(
      'kept up to the latest 500 messages.',
    );
    expect(retentionNote({})).toContain('kept on the server.');
  });
});
