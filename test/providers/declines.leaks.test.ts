import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { GraphQLObjectType } from 'graphql';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/graphql/schema.ts';
import { providerModules } from '../../src/providers/index.ts';
import { PRIVATE_CLIENT_COMMENT } from '../../src/providers/sumsub/sandbox/scenarios.ts';
import { FULL_KEY, type GraphQLBody, TEST_API_KEYS } from '../support/gateway.ts';
import { selectAll } from '../support/schemaWalk.ts';

/**
 * Sumsub's `clientComment` "should not be shown to your applicants" and, for a FINAL rejection, may hold private
 * information: every RED scenario of the simulator carries one. Driven through `node src/main.ts` (whose logs vitest
 * would silence in-process), every field of every Sumsub scenario, its timeline and the feed are read at trace level;
 * neither a response nor a log line may carry the comment, while the applicant-safe `moderationComment` does arrive.
 */

const schema = buildSchema();
const SESSION = schema.getType('Session') as GraphQLObjectType;
const FULL = `query Full($provider: Provider!, $id: String!) { session(provider: $provider, id: $id) { ${selectAll(schema, SESSION)} events(first: 100) { edges { node { sequence status providerStatus reasonCode userAction declineCategories } } } } }`;
const FEED = `{ sessionEvents(first: 100) { edges { node { provider providerSessionId status reasonCode userAction declineCategories } } } }`;

describe('no private reviewer note leaves Verigate', () => {
  let logs = '';
  const answers: string[] = [];

  beforeAll(async () => {
    const child = spawn(process.execPath, ['src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: 'sqlite::memory:',
        NODE_ENV: 'test',
        PORT: '0',
        LOG_LEVEL: 'trace',
        GATEWAY_API_KEYS: TEST_API_KEYS,
      },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = out.split('\n').find((l) => l.includes('Verigate listening'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      };
      child.stdout.on('data', check);
      child.once('exit', () => reject(new Error(`gateway exited:\n${out}`)));
    });
    const post = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL_KEY}` },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.body.text();
      answers.push(text);
      return JSON.parse(text) as GraphQLBody;
    };
    const sumsub = providerModules().find((m) => m.provider === 'SUMSUB');
    for (const scenario of sumsub?.scenarios ?? []) {
      await post(FULL, { provider: 'SUMSUB', id: scenario.id });
      await post(FULL, { provider: 'SUMSUB', id: scenario.id }); // the cached or re-read answer too
    }
    await post(FEED);
    child.kill('SIGTERM');
    await once(child, 'exit');
    logs = out;
  }, 120_000);

  afterAll(() => {
    answers.length = 0;
  });

  it('read the RED verdicts: their applicant-safe moderationComment is there, as a userMessage', () => {
    const all = answers.join('\n');
    expect(all).toContain('"userMessage":"We could not verify your identity."');
    expect(all).toContain('"userAction":"CONTACT_SUPPORT"');
    expect(logs).toContain('graphql operation');
  });

  it('never answers or logs Sumsub’s clientComment, nor any part of it', () => {
    const fragments = [PRIVATE_CLIENT_COMMENT, 'PRIVATE-NOTE', 'compliance suspects', 'do not tell the applicant'];
    for (const fragment of fragments) {
      expect(answers.filter((a) => a.includes(fragment))).toEqual([]);
      expect(logs.includes(fragment), `logs carry "${fragment}"`).toBe(false);
    }
  });
});
