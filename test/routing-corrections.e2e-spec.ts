/**
 * Learning from corrections (issue 16 item 4), end to end: an admin corrects one request on one
 * pod (the trace view's "correct this decision" adds the prompt as an example of the right
 * category); after the config sync, another pod on the same database routes the whole prompt
 * family — rephrasings never added — to the corrected category, and the change is audited.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { TIERS } from '../src/common/tiers';
import { startTestApp } from './support/app';
import { bearer, setupFirstAdmin } from './support/auth';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, startMockUpstream } from './support/mock-upstream';

/** Pods learn about each other's changes by polling on FerretDB; keep it quick for the test. */
const FAST_SYNC = { CONFIG_POLL_INTERVAL_MS: '300' };
const FAMILY = [
  'Draft the weekly status update for the platform team from these notes: migration 80% done, two incidents, hiring on track.',
  "Write this week's status update for the platform team based on my notes: migration nearly finished, one incident, hiring going well.",
  'Put together the weekly platform team status update from these bullet points: migration at 90%, no incidents, new hire starts Monday.',
];

// Every change retrains the local models on each pod; CI machines are slow.
jest.setTimeout(180_000);

describe('routing learns from corrections on every pod', () => {
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;
  let mock: MockUpstream;
  let tenant: SeededTenant;
  let admin: { authorization: string };

  const dryRun = async (pod: NestFastifyApplication, prompt: string) => {
    const response = await pod.inject({
      method: 'POST',
      url: '/api/prism/admin/routing/test',
      headers: admin,
      payload: { tenant: tenant.slug, prompt },
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ category: string; tier: string }>();
  };

  beforeAll(async () => {
    mock = await startMockUpstream();
    first = await startTestApp(FAST_SYNC);
    admin = bearer((await setupFirstAdmin(first)).token);
    const provider = await seedProvider(
      first,
      mock.url,
      TIERS.map((tier, index) => ({
        id: `${tier}-model`,
        tier,
        inputPer1M: 0.1 * 2 ** index,
        outputPer1M: 0.4 * 2 ** index,
      })),
    );
    tenant = await seedTenant(first, [provider.id]);
    await publishConfig(first);
    // A second pod on the same database.
    second = await startTestApp(FAST_SYNC);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await mock?.close();
  });

  it('routes the corrected prompt family to the corrected category afterwards', async () => {
    for (const prompt of FAMILY) expect((await dryRun(second, prompt)).category).not.toBe('writing_short');

    const corrected = await first.inject({
      method: 'POST',
      url: '/api/prism/admin/categories/writing_short/examples',
      headers: admin,
      payload: { examples: [FAMILY[0]] },
    });
    expect(corrected.statusCode).toBe(200);

    // The second pod picks the change up by the config sync and retrains off the request path.
    const deadline = Date.now() + 60_000;
    let decisions = await Promise.all(FAMILY.map((prompt) => dryRun(second, prompt)));
    while (decisions.some((decision) => decision.category !== 'writing_short') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      decisions = await Promise.all(FAMILY.map((prompt) => dryRun(second, prompt)));
    }
    expect(decisions.map((decision) => decision.category)).toEqual(FAMILY.map(() => 'writing_short'));
    for (const decision of decisions) expect(['micro', 'minimal', 'low']).toContain(decision.tier);
    expect((await dryRun(second, 'Hi, how are you today?')).category).not.toBe('writing_short');

    const audit = await first.inject({
      method: 'GET',
      url: '/api/prism/admin/audit?action=category.examples.add',
      headers: admin,
    });
    expect(audit.json<{ items: unknown[] }>().items).toHaveLength(1);
  });
});
