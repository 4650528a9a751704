import { type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.ts';
import { estimateUpstreamCalls } from '../../src/graphql/plugins/upstreamCalls.ts';

/** Verifa and Sumsub take up to two calls per session, every other provider one (their modules say so). */
const CALLS = (provider: string) => (provider === 'VERIFA' || provider === 'SUMSUB' ? 2 : 1);

function estimate(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return estimateUpstreamCalls(document, operation, variables, CALLS);
}

describe('the vendor calls an operation can make, before it runs', () => {
  it('counts each distinct (provider, id) once, times its provider’s calls per session', () => {
    expect(
      estimate(`{ a: session(provider: VERIFA, id: "ses_1") { id } b: session(provider: VERIFA, id: "ses_1") { id }
        c: session(provider: DIDIT, id: "d") { id } }`),
    ).toEqual({ sessions: 2, calls: 3 });
  });

  it('reads sessions(refs:) from literals and variables, node ids and _entities representations by either key', () => {
    const node = toGlobalId({ provider: 'SUMSUB', id: 'sbx1' });
    expect(
      estimate(
        `query($refs: [SessionRefInput!]!, $r: [_Any!]!) {
          sessions(refs: $refs) { id } more: sessions(refs: [{ provider: ONFIDO, id: "o1" }]) { id }
          node(id: "${node}") { id } _entities(representations: $r) { __typename } }`,
        {
          refs: [
            { provider: 'VERIFA', id: 'ses_1' },
            { provider: 'PERSONA', id: 'inq_1' },
          ],
          r: [
            { __typename: 'Session', id: toGlobalId({ provider: 'VERIFA', id: 'ses_1' }) },
            { __typename: 'Session', provider: 'VERATAD', providerSessionId: 'v1' },
          ],
        },
      ),
    ).toEqual({ sessions: 5, calls: 2 + 1 + 1 + 2 + 1 });
  });

  it('expands fragments and applies @skip and @include', () => {
    expect(
      estimate(
        `query($no: Boolean!) { ...F a: session(provider: VERIFA, id: "x") @include(if: $no) { id }
          ... on Query { b: session(provider: DIDIT, id: "y") @skip(if: $no) { id } } }
         fragment F on Query { c: session(provider: ONFIDO, id: "z") { id } }`,
        { no: false },
      ),
    ).toEqual({ sessions: 2, calls: 2 });
  });

  it('prices a timeline page that loads its sessions at the most calls any provider takes, and one without nothing', () => {
    expect(estimate('{ sessionEvents(first: 30) { edges { node { status session { id } } } } }')).toEqual({
      sessions: 0,
      calls: 60,
    });
    expect(estimate('{ sessionEvents(first: 30) { edges { node { status } } } }')).toEqual({ sessions: 0, calls: 0 });
  });

  it('counts nothing for a list over the resolver’s cap of 50, which is refused before any call', () => {
    const refs = Array.from({ length: 51 }, (_, i) => ({ provider: 'VERIFA', id: `ses_${i}` }));
    expect(estimate('query($refs: [SessionRefInput!]!) { sessions(refs: $refs) { id } }', { refs })).toEqual({
      sessions: 0,
      calls: 0,
    });
  });

  it('counts nothing for values that do not name a session (execution refuses them) and for subscriptions', () => {
    expect(estimate('{ node(id: "not-a-global-id") { id } session(provider: NOPE, id: "x") { id } }')).toEqual({
      sessions: 0,
      calls: 0,
    });
    expect(estimate('subscription { sessionUpdated(provider: VERIFA, id: "x") { id } }')).toEqual({
      sessions: 0,
      calls: 0,
    });
  });
});
