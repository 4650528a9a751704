import { describe, expect, it } from 'vitest';
import { MAX_NESTING, tooDeeplyNested } from '../../src/graphql/nesting.ts';

describe('bracket nesting, checked before the parser', () => {
  const nested = (n: number) => `{ sessions(refs: ${'['.repeat(n)}${']'.repeat(n)}) { id } }`;

  it('allows the limit and refuses one more, whichever brackets', () => {
    // `{` and `(` around the list add two levels.
    expect(tooDeeplyNested(nested(MAX_NESTING - 2))).toBe(false);
    expect(tooDeeplyNested(nested(MAX_NESTING - 1))).toBe(true);
    expect(tooDeeplyNested(`${'{ a '.repeat(MAX_NESTING + 1)}`)).toBe(true);
    expect(tooDeeplyNested('['.repeat(5_000))).toBe(true);
  });

  it('counts depth, not brackets: many siblings are fine', () => {
    expect(tooDeeplyNested(`{ ${'a { b } '.repeat(1_000)} }`)).toBe(false);
  });

  it('skips strings, block strings, escaped quotes and comments', () => {
    const deep = '['.repeat(100);
    expect(tooDeeplyNested(`{ session(provider: VERIFA, id: "${deep}") { id } }`)).toBe(false);
    expect(tooDeeplyNested(`{ session(provider: VERIFA, id: "a\\"${deep}") { id } }`)).toBe(false);
    expect(tooDeeplyNested(`"""${deep}""" query { providers { provider } }`)).toBe(false);
    expect(tooDeeplyNested(`# ${deep}\n{ providers { provider } }`)).toBe(false);
  });
});
