import type { GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../src/graphql/schema.ts';
import { DIDIT_SCENARIOS } from '../src/providers/didit/sandbox/scenarios.ts';
import { type DiditSimulator, startDiditSimulator } from '../src/providers/didit/sandbox/simulator.ts';
import { STATUS_CASES } from './didit-expected.ts';
import { startV1Gateway, startV3Gateway } from './didit-support.ts';
import type { TestGateway } from './support/gateway.ts';
import { selectAll } from './support/schemaWalk.ts';

const schema = buildSchema();
/** Every field of Session, nested objects included, built from the schema so that no field is left out. */
const QUERY = `query All($id: String!) { session(provider: DIDIT, id: $id) { ${selectAll(schema, schema.getType('Session') as GraphQLObjectType)} } }`;

/** Every path at which two JSON values differ. */
function differences(a: unknown, b: unknown, path: string, out: string[] = []): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}.length`);
    else for (const [i, item] of a.entries()) differences(item, b[i], `${path}[${i}]`, out);
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)]))
      differences(left[key], right[key], `${path}.${key}`, out);
  } else if (a !== b) {
    out.push(path);
  }
  return out;
}

const valueAt = (root: unknown, path: string): unknown =>
  path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .slice(1)
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], root);

describe('Didit v1 and v3 give a client the same answer', () => {
  let sim: DiditSimulator;
  let v1: TestGateway;
  let v3: TestGateway;
  beforeAll(async () => {
    sim = await startDiditSimulator();
    [v1, v3] = await Promise.all([startV1Gateway(sim), startV3Gateway(sim)]);
  });
  afterAll(async () => {
    await Promise.all([v1.close(), v3.close()]);
    await sim.close();
  });

  const both = DIDIT_SCENARIOS.filter((s) => s.behaviour.kind === 'decision' && s.behaviour.v1 && s.behaviour.v3);

  it('compares every scenario both generations serve', () => {
    expect(both.map((s) => s.name)).toEqual(['documented', ...STATUS_CASES.map(([name]) => name)]);
  });

  it.each(both.map((s) => [s.name, s.id]))(
    '%s: every field equal; only what one generation cannot know differs, and exactly that',
    async (name, id) => {
      const [a, b] = await Promise.all([v1.query(QUERY, { id }), v3.query(QUERY, { id })]);
      expect(a.body.errors).toBeUndefined();
      expect(b.body.errors).toBeUndefined();
      const diff = differences(a.body.data, b.body.data, 'data');
      for (const path of diff) {
        const [left, right] = [valueAt(a.body.data, path), valueAt(b.body.data, path)];
        if (path.endsWith('.nodeId')) {
          // v1 has no workflow nodes; v3 names the node of every run and warning.
          expect(left, path).toBeNull();
          expect(right, path).toMatch(/^feature_[a-z_]+_\d+$/);
        } else {
          // v3 has no gender estimation (providers-didit-v3.md §8): the one documented v1 fact it cannot carry.
          expect(path).toBe('data.session.face.genderEstimate');
          expect(name).toBe('documented');
          expect(left).toEqual({ male: 0.9923, female: 0.0077 });
          expect(right).toBeNull();
        }
      }
      // Everything else was compared and is equal, status, scores and all parts included.
      const session = a.body.data?.session as Record<string, unknown>;
      expect(Object.keys(session).length).toBeGreaterThan(25);
      if (name === 'documented') {
        expect(diff).toContain('data.session.face.genderEstimate');
        expect(diff).toContain('data.session.warnings[0].nodeId');
        expect(diff).toContain('data.session.checks.aml[0].nodeId');
        expect(b.body.data?.session).toMatchObject({
          status: 'DECLINED',
          aml: { totalHits: 1 },
          face: { faceMatchScore: 0.9799 },
        });
      }
    },
  );
});
