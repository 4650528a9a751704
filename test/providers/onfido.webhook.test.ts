import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onfidoEventBody, signOnfidoDelivery } from '../../src/providers/onfido/sandbox/webhookSender.ts';
import { onfidoWebhook, verifyOnfidoSignature } from '../../src/providers/onfido/webhook.ts';

/**
 * The official onfido-node SDK's webhook golden vectors (test/classic-webhook-event-verifier.test.ts,
 * test/studio-webhook-event-verifier.test.ts and the two files of test/media/, copied byte for byte).
 */
const CLASSIC = {
  token: '_ABC123abc123ABC123abc123ABC123_',
  body: `{"payload":{"resource_type":"check","action":"check.completed","object":{"id":"check-123","status":"complete","completed_at_iso8601":"2020-01-01T00:00:00Z","href":"https://api.onfido.com/v3/checks/check-123"}}}`,
  signature: 'a0082d7481f9f0a2907583dbe1f344d6d4c0d9989df2fd804f98479f60cd760e',
};
const STUDIO_TOKEN = 'YKOC6mkBxi6yK2zlUIrLMvsJMFEZObP5';
const STUDIO = {
  token: STUDIO_TOKEN,
  body: `{"payload":{"resource_type":"workflow_task","action":"workflow_task.started","object":{"id":"profile_1eb92","task_spec_id":"profile_1eb92","task_def_id":"profile_data","workflow_run_id":"bc77c6e5-753a-4580-96a6-aaed3e5a8d19","status":"started","started_at_iso8601":"2024-07-10T12:49:09Z","href":"https://api.eu.onfido.com/v3.6/workflow_runs/bc77c6e5-753a-4580-96a6-aaed3e5a8d19/tasks/profile_1eb92"},"resource":{"created_at":"2024-07-10T12:49:09Z","id":"profile_1eb92","workflow_run_id":"bc77c6e5-753a-4580-96a6-aaed3e5a8d19","updated_at":"2024-07-10T12:49:09Z","input":{},"task_def_version":null,"task_def_id":"profile_data","output":null}}}`,
  signature: 'c95a5b785484f6fa1bc25f381b5595d66bf85cb442eefb06aa007802ee6a4dfa',
};
const fixture = (name: string) => readFileSync(new URL(`./fixtures/onfido/${name}`, import.meta.url));
const MEDIA = [
  {
    file: 'studio_webhook_event_with_object_in_output.json',
    signature: 'e3e5565647f5ccf07b2fd8ac22eab94a0a0619413d981fb768295c820523f7d7',
  },
  {
    file: 'studio_webhook_event_with_list_in_output.json',
    signature: 'f3a5170acfcecf8c1bf6d9cb9995c0d9dec941af83056a721530f8de7af2c293',
  },
];
const digest = (body: string | Buffer) => `sha256=${createHash('sha256').update(body).digest('hex')}`;

/** Every golden vector: what it is, the token, the raw body and its signature. */
const VECTORS: Array<[string, string, Buffer, string]> = [
  ['classic check event', CLASSIC.token, Buffer.from(CLASSIC.body), CLASSIC.signature],
  ['studio workflow_task event', STUDIO.token, Buffer.from(STUDIO.body), STUDIO.signature],
  ...MEDIA.map((m): [string, string, Buffer, string] => [m.file, STUDIO_TOKEN, fixture(m.file), m.signature]),
];

/** The body with one byte changed (the last character before the closing brace). */
function oneByteChanged(body: Buffer): Buffer {
  const changed = Buffer.from(body);
  const i = changed.lastIndexOf('}') - 1;
  changed[i] = (changed[i] as number) ^ 0x01;
  return changed;
}

describe('verifyOnfidoSignature against the SDK’s golden vectors', () => {
  it.each(VECTORS)('verifies the %s, named by its body digest', (_, token, body, signature) => {
    expect(verifyOnfidoSignature(signature, body, token)).toEqual({
      ok: true,
      deliveryId: digest(body),
      scheme: 'sha2',
    });
  });

  it.each(VECTORS)('refuses the %s with one byte of its body changed', (_, token, body, signature) => {
    expect(verifyOnfidoSignature(signature, oneByteChanged(body), token)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses the SDK’s own invalid signature (last hex digit changed) and another token', () => {
    const body = Buffer.from(STUDIO.body);
    const invalid = 'c95a5b785484f6fa1bc25f381b5595d66bf85cb442eefb06aa007802ee6a4dfb';
    expect(verifyOnfidoSignature(invalid, body, STUDIO.token)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyOnfidoSignature(STUDIO.signature, body, CLASSIC.token)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('names a delivery by what was signed, so a re-cased signature is the same delivery', () => {
    const body = Buffer.from(STUDIO.body);
    const lower = verifyOnfidoSignature(STUDIO.signature, body, STUDIO.token);
    const upper = verifyOnfidoSignature(STUDIO.signature.toUpperCase(), body, STUDIO.token);
    expect(upper).toEqual(lower);
  });

  it('refuses signatures that are not the hex of 32 bytes', () => {
    const body = Buffer.from(STUDIO.body);
    for (const header of ['', 'sha256=c95a5b78', STUDIO.signature.slice(0, 62), `${STUDIO.signature}00`, 'zz'])
      expect(verifyOnfidoSignature(header, body, STUDIO.token), header).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

describe('onfidoWebhook', () => {
  const hook = onfidoWebhook({ token: STUDIO_TOKEN, sandbox: false });
  const now = 1_760_000_000;

  it('reads X-SHA2-Signature and refuses a delivery without it', () => {
    const body = Buffer.from(STUDIO.body);
    expect(hook.verify({ 'x-sha2-signature': STUDIO.signature }, body, now)).toEqual({
      ok: true,
      deliveryId: digest(body),
      scheme: 'sha2',
    });
    expect(hook.verify({}, body, now)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(hook.verify({ 'x-sha2-signature': '  ' }, body, now)).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('keeps deliveries a day in the replay log: Onfido signs no timestamp', () => {
    expect(hook.replayWindowSeconds).toBe(86_400);
    expect(hook.replayKey).toBe(STUDIO_TOKEN);
  });

  it('reads a workflow_task event as a hint for its workflow run (the SDK’s golden event)', () => {
    expect(hook.read(JSON.parse(STUDIO.body), now)).toEqual({
      kind: 'session',
      event: 'workflow_task.started',
      sessionId: 'bc77c6e5-753a-4580-96a6-aaed3e5a8d19',
    });
    expect(hook.read(JSON.parse(fixture(MEDIA[0]?.file ?? '').toString()), now)).toEqual({
      kind: 'session',
      event: 'workflow_task.completed',
      sessionId: 'b48fdff9-66a1-405d-9912-54780799bd68',
    });
  });

  it('reads a workflow_run event by its object id, in lower case', () => {
    const body = onfidoEventBody('workflow_run.completed', 'B48FDFF9-66A1-405D-9912-54780799BD68', 'approved');
    expect(hook.read(JSON.parse(body), now)).toEqual({
      kind: 'session',
      event: 'workflow_run.completed',
      sessionId: 'b48fdff9-66a1-405d-9912-54780799bd68',
    });
  });

  it('finds a task’s run in `resource.workflow_run_id` or in `object.href` when `object` lacks it', () => {
    const run = 'bc77c6e5-753a-4580-96a6-aaed3e5a8d19';
    const href = `https://api.eu.onfido.com/v3.6/workflow_runs/${run}/tasks/x`;
    const event = (object: object, resource?: object) => ({
      payload: { resource_type: 'workflow_task', action: 'workflow_task.completed', object, resource },
    });
    const expected = { kind: 'session', event: 'workflow_task.completed', sessionId: run };
    expect(hook.read(event({ id: 'task_1' }, { id: 'task_1', workflow_run_id: run }), now)).toEqual(expected);
    expect(hook.read(event({ id: 'task_1', href }), now)).toEqual(expected);
    // A task's own id is never taken for its run, even when it looks like a UUID.
    expect(hook.read(event({ id: run }), now)).toEqual({ kind: 'invalid', reason: 'invalid_payload' });
  });

  it('acknowledges the documented events about other resources and ignores them', () => {
    expect(hook.read(JSON.parse(CLASSIC.body), now)).toEqual({ kind: 'ignored', event: 'check.completed' });
    for (const action of [
      'report.completed',
      'audit_log.created',
      'watchlist_monitor.matches_updated',
      'workflow_timeline_file.created',
      'workflow_run_evidence_folder.created',
    ]) {
      const body = { payload: { resource_type: action.split('.')[0], action, object: { id: 'x' } } };
      expect(hook.read(body, now), action).toEqual({ kind: 'ignored', event: action });
    }
  });

  it('refuses an unknown resource type and bodies it cannot read', () => {
    const unknown = { payload: { resource_type: 'invoice', action: 'invoice.paid', object: { id: 'x' } } };
    expect(hook.read(unknown, now)).toEqual({ kind: 'invalid', reason: 'unknown_event' });
    for (const body of [null, {}, { payload: {} }, { payload: { action: 7 } }, []])
      expect(hook.read(body, now), JSON.stringify(body)).toEqual({ kind: 'invalid', reason: 'invalid_payload' });
    const noRun = { payload: { resource_type: 'workflow_run', action: 'workflow_run.completed', object: { id: 'x' } } };
    expect(hook.read(noRun, now)).toEqual({ kind: 'invalid', reason: 'invalid_payload' });
  });

  it('verifies what the simulator signs', () => {
    const delivery = signOnfidoDelivery(STUDIO_TOKEN, onfidoEventBody('workflow_run.completed', STUDIO.token, 'x'));
    expect(hook.verify(delivery.headers, Buffer.from(delivery.body), now)).toEqual({
      ok: true,
      deliveryId: digest(delivery.body),
      scheme: 'sha2',
    });
  });
});
