import { expectPeople, roomLink, test } from './fixtures/parley';
import { connectedPeerCount } from './fixtures/stats';
import { expect } from '@playwright/test';

test('three rooms at once never see each other', async ({ startServer, newPerson }) => {
  test.setTimeout(120_000);
  const server = await startServer();
  const rooms: Record<string, string[]> = {
    'room-north': ['Ada', 'Alan'],
    'room-south': ['Grace', 'Gordon', 'Gwen'],
    'room-east': ['Linus'],
  };
  const pages: Array<{ room: string; page: Awaited<ReturnType<typeof newPerson>> }> = [];
  // Interleave joins so that all rooms are filling at the same time.
  for (let i = 0; i < 3; i++) {
    for (const [room, names] of Object.entries(rooms)) {
      const name = names[i];
      if (name) {
        const page = await newPerson({ viewport: { width: 480, height: 360 } });
        // Audio only keeps six browsers light; isolation is about who is in the room.
        await page.goto(roomLink(server, room, name, { video: false }));
        pages.push({ room, page });
      }
    }
  }
  for (const { room, page } of pages) {
    await expectPeople(page, rooms[room] as string[]);
  }
  for (const { room, page } of pages) {
    const others = (rooms[room] as string[]).length - 1;
    await expect.poll(() => connectedPeerCount(page), { timeout: 30_000 }).toBe(others);
    await expect(page.getByTestId('tile')).toHaveCount(others + 1);
  }
});
