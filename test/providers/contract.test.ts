import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Provider } from '../../src/model/session.ts';
import { providerModules } from '../../src/providers/registry.ts';
import { mapStatus } from '../../src/providers/status.ts';
import type { ProviderModule, WebhookContract } from '../../src/providers/types.ts';
import { READ_ONLY_KEY, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { originOf, postWebhook, waitFor } from '../support/webhooks.ts';

/**
 * The shared provider contract: every registered provider module passes the same suite against its own sandbox,
 * through a real gateway over HTTP. A new vendor gets it by exporting a `contract` (docs/adding-a-provider.md).
 *
 * The template vendor (src/providers/_template, the folder a new vendor copies) is registered here, for this run
 * only, beside the registry's modules: the gateway, its config and its schema's `Provider` enum (built from the
 * registry) all see it, so it passes the very suite a copy of it must pass, and never reaches the public enum.
 */
vi.mock('../../src/providers/registry.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/providers/registry.ts')>();
  const { templateModule } = await import('../../src/providers/_template/index.ts');
  const modules = [...actual.providerModules(), templateModule as unknown as ProviderModule];
  return { providerModules: () => modules };
});
// The template's module needs the model, which needs this list: only its config (no such import) is read here. Its
// label is the module's (the NOT_FOUND case compares the two).
vi.mock('../../src/generated/providers.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/generated/providers.ts')>();
  const { TEMPLATE_PROVIDER } = await import('../../src/providers/_template/config.ts');
  return {
    PROVIDERS: [...actual.PROVIDERS, TEMPLATE_PROVIDER],
    PROVIDER_LABELS: { ...actual.PROVIDER_LABELS, [TEMPLATE_PROVIDER]: 'Template vendor' },
  };
});

const STATUS_QUERY = `query ($provider: Provider!, $id: String!) {
  session(provider: $provider, id: $id) { provider providerSessionId status providerStatus isTerminal }
}`;
const PII_QUERY = `query ($provider: Provider!, $id: String!) {
  session(provider: $provider, id: $id) { applicant { fullName dateOfBirth } kyc { documentNumber dateOfBirth } }
}`;
const ANSWER_CODES = [
  'NOT_FOUND',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
];

let tg: TestGateway;
beforeAll(async () => {
  tg = await startTestGateway({}, { timelineStepMs: 60_000 });
});
afterAll(() => tg?.close());

/** `verigate_webhook_deliveries_total` for one provider and outcome. */
async function deliveries(provider: Provider, outcome: string): Promise<number> {
  const res = await request(`${originOf(tg.gateway.url)}/metrics`);
  const text = await res.body.text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`verigate_webhook_deliveries_total{provider="${provider}",outcome="${outcome}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe.each(providerModules().map((m) => [m.provider, m] as const))('provider contract: %s', (provider, module) => {
  const contract = module.contract;
  const ask = (id: string, key?: string | null) => tg.query(STATUS_QUERY, { provider, id }, key);

  it('has a scenario for every row of each status table it covers, and its id passes the id check', () => {
    const covered = new Set(contract.statusScenarios.map((s) => s.field));
    expect(covered.size).toBeGreaterThan(0);
    for (const table of module.statusTables.filter((t) => covered.has(t.field))) {
      const shown = contract.statusScenarios.filter((s) => s.field === table.field).map((s) => s.value);
      expect(shown.sort(), table.field).toEqual(table.rows.map((r) => r.value).sort());
    }
    for (const field of covered) expect(module.statusTables.map((t) => t.field)).toContain(field);
    const adapter = tg.gateway.registry.adapter(provider);
    for (const s of contract.statusScenarios) expect(adapter?.checkId(s.id), s.id).toBeNull();
  });

  it('answers every status scenario with the status its table gives, the raw word kept', async () => {
    for (const s of contract.statusScenarios) {
      const table = module.statusTables.find((t) => t.field === s.field);
      const status = table ? mapStatus(table, s.value) : 'UNKNOWN';
      const { body } = await ask(s.id);
      expect(body, `${s.field} ${s.value}`).toEqual({
        data: {
          session: {
            provider,
            providerSessionId: s.id,
            status,
            providerStatus: s.providerStatus ?? s.value,
            isTerminal: ['APPROVED', 'DECLINED', 'EXPIRED', 'ABANDONED', 'ERROR'].includes(status),
          },
        },
      });
    }
  });

  it('maps a status word in no table to UNKNOWN, keeping the word', async () => {
    const { id, providerStatus } = contract.unknownStatus;
    const { body } = await ask(id);
    expect(body).toEqual({
      data: { session: { provider, providerSessionId: id, status: 'UNKNOWN', providerStatus, isTerminal: false } },
    });
  });

  it('answers NOT_FOUND for a session the vendor does not have', async () => {
    const { body } = await ask(contract.notFoundId);
    expect(body).toEqual({
      data: { session: null },
      errors: [
        {
          message: `${module.label} has no such session.`,
          locations: [{ line: 2, column: 3 }],
          path: ['session'],
          extensions: { code: 'NOT_FOUND', provider },
        },
      ],
    });
  });

  it('answers UPSTREAM_UNAVAILABLE when the vendor fails with a 5xx', async () => {
    const { body } = await ask(contract.unavailableId);
    expect(body.data).toEqual({ session: null });
    expect(body.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.provider])).toEqual([
      [['session'], 'UPSTREAM_UNAVAILABLE', provider],
    ]);
  });

  it('refuses malformed ids with BAD_USER_INPUT before any vendor call', async () => {
    const simulator = tg.simulator(provider);
    simulator.resetCount();
    for (const id of contract.malformedIds) {
      const { body } = await ask(id);
      expect(body.data, id).toEqual({ session: null });
      expect(
        body.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.provider]),
        id,
      ).toEqual([[['session'], 'BAD_USER_INPUT', provider]]);
    }
    expect(simulator.requestCount()).toBe(0);
  });

  it('masks personal data without pii:read', async () => {
    const full = await tg.query(PII_QUERY, { provider, id: contract.piiId });
    const masked = await tg.query(PII_QUERY, { provider, id: contract.piiId }, READ_ONLY_KEY);
    const session = full.body.data?.session as Record<string, Record<string, unknown> | null>;
    const raw = [session.applicant?.dateOfBirth, session.kyc?.documentNumber, session.kyc?.dateOfBirth].filter(
      (v): v is string => typeof v === 'string',
    );
    expect(raw.length).toBeGreaterThan(0);
    expect(masked.body.errors).toBeUndefined();
    const text = JSON.stringify(masked.body);
    for (const value of raw) expect(text).not.toContain(value);
  });

  it('lists its sandbox scenarios, each with an id the adapter accepts and an answer or a coded error', async () => {
    expect(module.scenarios.length).toBeGreaterThan(0);
    const timed = module.scenarios.filter((s) => s.description.startsWith('timed'));
    for (const s of module.scenarios.filter((x) => !timed.includes(x))) {
      const { body } = await ask(s.id);
      const session = body.data?.session as { providerSessionId?: string } | null;
      if (session) expect(session.providerSessionId).toBe(s.id);
      else expect(ANSWER_CODES, s.id).toContain(body.errors?.[0]?.extensions?.code);
    }
  });

  it('has the webhook handles exactly when it has webhooks', () => {
    const handles = [contract.signedWebhook, contract.signsTimestamp].map((h) => h !== undefined);
    expect(handles).toEqual(module.webhook === undefined ? [false, false] : [true, true]);
  });

  describe.runIf(module.webhook !== undefined)('webhooks', () => {
    const hook = () => tg.config.webhooks[module.name];
    const signed = (now = Math.floor(Date.now() / 1000)) =>
      (contract as WebhookContract<unknown>).signedWebhook(hook(), contract.piiId, now);
    const post = (delivery: { body: string; headers: Record<string, string> }) =>
      postWebhook(originOf(tg.gateway.url), module.name, delivery);

    it('accepts a signed delivery and refreshes the session from the vendor', async () => {
      const simulator = tg.simulator(provider);
      simulator.resetCount();
      const accepted = await deliveries(provider, 'accepted');
      expect(await post(signed())).toEqual({ status: 200, body: { received: true } });
      expect(await deliveries(provider, 'accepted')).toBe(accepted + 1);
      expect(await waitFor(() => simulator.requestCount() > 0)).toBe(true);
    });

    it('answers a replay 200 and records nothing more', async () => {
      const delivery = signed();
      await post(delivery);
      const duplicates = await deliveries(provider, 'duplicate');
      expect(await post(delivery)).toEqual({ status: 200, body: { received: true } });
      expect(await deliveries(provider, 'duplicate')).toBe(duplicates + 1);
    });

    it('refuses a delivery without its signature or credentials', async () => {
      const { body } = signed();
      expect(await post({ body, headers: {} })).toEqual({ status: 401, body: { error: 'unauthorized' } });
    });

    it.runIf(contract.signsBody !== false)('refuses a delivery whose body changed by one byte', async () => {
      const { body, headers } = signed();
      const i = body.lastIndexOf('}') - 1;
      const changed = `${body.slice(0, i)}${body[i] === ' ' ? '\t' : ' '}${body.slice(i)}`;
      expect(await post({ body: changed, headers })).toEqual({ status: 401, body: { error: 'unauthorized' } });
    });

    it.runIf(contract.signsTimestamp)('refuses a delivery signed an hour ago', async () => {
      const stale = signed(Math.floor(Date.now() / 1000) - 3_600);
      expect(await post(stale)).toEqual({ status: 401, body: { error: 'unauthorized' } });
    });
  });
});
