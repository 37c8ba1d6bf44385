/**
 * The network lab's fast scenarios (docs/CONNECTIVITY.md): two Chromiums in their own
 * network namespaces, behind NATs, firewalls or a cut link, call through a Parley server
 * and coturn in a "public" namespace. Each test asserts that video decodes both ways and
 * which candidate pair ICE selected. Needs root (ip netns) and nftables.
 */
import { test, expect, type Page } from '@playwright/test';
import { CHROMIUM, requireBinary, requireService } from './env';
import { expectDecodingFromAll } from './fixtures/stats';
import { runCall, selectedPair, SUSTAINED_FRAMES } from './lab/call.mjs';
import { holePunch, mappingFrom, startReflector } from './lab/nat-check.mjs';
import { SCENARIOS } from './lab/scenarios.mjs';
import { startServices, TURNSERVER } from './lab/services.mjs';
import { buildLab, removeLabNamespaces, type Lab } from './lab/topology.mjs';

// One lab at a time (the namespaces have fixed names): playwright.config.ts runs one
// worker. A failed scenario does not stop the next: each builds its own lab.

test.beforeAll(() => {
  requireService(
    process.getuid?.() === 0 ? null : 'needs root to create network namespaces',
    'network lab',
  );
  requireBinary('/usr/sbin/ip', 'iproute2 ip');
  requireBinary('/usr/sbin/nft', 'nftables nft');
  requireBinary(TURNSERVER, 'coturn turnserver');
  requireBinary(CHROMIUM, 'Chromium');
});

// Whatever happened in a test, no namespace survives it.
test.afterEach(() => removeLabNamespaces());

test('the lab itself: NAT keeps one mapping and lets a hole be punched, symmetric NAT makes one per destination, the firewall drops UDP, a cut drops all', async () => {
  // Checked without a browser, so a failing scenario below is about the call, not the lab.
  const check = async (lab: Lab, body: () => void): Promise<void> => {
    const stop = await startReflector();
    try {
      body();
    } finally {
      stop();
      lab.dispose();
    }
  };
  const natLab = buildLab([{ nat: 'nat' }, { nat: 'symmetric' }]);
  await check(natLab, () => {
    const [a, b] = natLab.peers;
    const viaNat = mappingFrom(a!.hostNs);
    expect(viaNat[0]).toMatch(/^100\.64\.0\.11:\d+$/);
    expect(viaNat[1], 'one mapping for every destination').toBe(viaNat[0]);
    const viaSymmetric = mappingFrom(b!.hostNs);
    expect(viaSymmetric[0]).toMatch(/^100\.64\.0\.12:\d+$/);
    expect(viaSymmetric[1]).toMatch(/^100\.64\.0\.12:\d+$/);
    expect(viaSymmetric[1], 'a new port for every destination').not.toBe(viaSymmetric[0]);
    natLab.cut(a!);
    expect(mappingFrom(a!.hostNs)).toEqual([null, null]);
    natLab.restore(a!);
    expect(mappingFrom(a!.hostNs)[0]).toMatch(/^100\.64\.0\.11:\d+$/);
  });
  // Hole punching through two NATs works even when b's first packets arrive at a's
  // router before a has sent (an unsolicited packet must not take a's port).
  const punchLab = buildLab([{ nat: 'nat' }, { nat: 'nat' }]);
  try {
    const [gotA, gotB] = await holePunch(punchLab, ['100.64.0.11', '100.64.0.12']);
    expect(gotA, 'datagrams from b that reached a').toBeGreaterThan(5);
    expect(gotB, 'datagrams from a that reached b').toBeGreaterThan(5);
  } finally {
    punchLab.dispose();
  }
  const firewallLab = buildLab([{ nat: 'nat', blockUdp: true }, { nat: 'none' }]);
  await check(firewallLab, () => {
    const [a, b] = firewallLab.peers;
    expect(mappingFrom(a!.hostNs), 'UDP dropped by the firewall').toEqual([null, null]);
    // No router: the public address itself.
    expect(mappingFrom(b!.hostNs)[0]).toMatch(/^100\.64\.0\.22:\d+$/);
  });
});

for (const scenario of SCENARIOS.filter((s) => s.fast)) {
  test(`${scenario.title}: video both ways, ${scenario.expected}`, async () => {
    test.setTimeout(120_000);
    const lab = buildLab(scenario.peers);
    const services = await startServices(scenario.services);
    let close = async (): Promise<void> => {};
    try {
      const call = await runCall({
        lab,
        url: services.url,
        room: scenario.id,
        keepOpen: true,
        cutMs: scenario.cutMs,
        browserArgs: scenario.browserArgs,
      });
      close = call.close;
      // What was measured, for whoever reads the report (the bench has the statistics).
      console.log(
        `lab ${scenario.id}: video both ways in ${call.videoBothWaysMs} ms, pairs ${JSON.stringify(call.pairs)}` +
          (scenario.cutMs ? `, frames again ${call.recoveryMs} ms after the cut` : ''),
      );
      const pages: Page[] = call.pages;
      expect(
        call.connected,
        `video both ways (coturn log:\n${services.log('coturn').slice(-1500)})`,
      ).toBe(true);
      // Frames keep coming, not just the first few: each page decoded SUSTAINED_FRAMES
      // more after first video (a relayed path once stalled after 5–8 frames), and still
      // decodes a rising count now.
      expect(call.flowing, `${SUSTAINED_FRAMES} more frames decoded on both pages`).toBe(true);
      for (const page of pages) {
        await expectDecodingFromAll(page, 1);
      }
      // Each side's selected pair, polled: in CI the controlled side once still reported a
      // pair to the other's relay (host → relay) while the controlling side had already
      // settled on host ↔ host, on a loaded machine with 100 ms of RTT on loopback.
      let pairs = await Promise.all(pages.map((p) => selectedPair(p)));
      await expect
        .poll(
          async () => {
            pairs = await Promise.all(pages.map((p) => selectedPair(p)));
            return scenario.pathOk(pairs);
          },
          { timeout: 15_000, message: 'the expected path selected on both sides' },
        )
        .toBe(true)
        .catch((error: Error) => {
          error.message += `\nselected pairs ${JSON.stringify(pairs)}`;
          throw error;
        });
      if (scenario.cutMs) {
        expect(call.recoveryMs, 'frames flow again after the cut').not.toBeNull();
      }
    } finally {
      await close();
      await services.dispose();
      lab.dispose();
    }
  });
}
