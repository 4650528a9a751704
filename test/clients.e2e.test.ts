import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { cacheExchange, createClient, fetchExchange } from '@urql/core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/model/session.ts';
import { FULL_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';

/**
 * The two clients frontend apps use most, with their default configuration and only the key added, against the
 * sandbox: urql sends queries as GET (`preferGetMethod: 'within-url-limit'`), Apollo Client as JSON POST. Both must
 * just work; Apollo's CSRF prevention counts `authorization` as a header that forces a browser preflight.
 */

const SESSION = `query Status($provider: Provider!, $id: String!) {
  session(provider: $provider, id: $id) { providerSessionId status }
}`;
/** Both clients add `__typename` to every selection for their normalized caches. */
const EXPECTED = { session: { __typename: 'Session', providerSessionId: 'ses_approved', status: 'APPROVED' } };

describe('GraphQL clients with their defaults', () => {
  let gw: TestGateway;
  /** The method and headers of every request the gateway saw, to prove what the clients sent. */
  const seen: Array<{ method: string; contentType: string | undefined }> = [];
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  const recordingFetch: typeof fetch = async (input, init) => {
    seen.push({
      method: init?.method ?? 'GET',
      contentType: new Headers(init?.headers).get('content-type') ?? undefined,
    });
    return fetch(input, init);
  };

  it('urql (@urql/core): its default GET with the key in Authorization is answered', async () => {
    seen.length = 0;
    const client = createClient({
      url: gw.gateway.url,
      exchanges: [cacheExchange, fetchExchange],
      fetch: recordingFetch,
      fetchOptions: { headers: { authorization: `Bearer ${FULL_KEY}` } },
    });
    const result = await client.query(SESSION, { provider: 'VERIFA', id: 'ses_approved' }).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(EXPECTED);
    expect(seen).toEqual([{ method: 'GET', contentType: undefined }]);
  });

  it('Apollo Client: its default POST with the key is answered, __typename and all', async () => {
    seen.length = 0;
    const client = new ApolloClient({
      link: new HttpLink({
        uri: gw.gateway.url,
        headers: { authorization: `Bearer ${FULL_KEY}` },
        fetch: recordingFetch,
      }),
      cache: new InMemoryCache(),
    });
    const result = await client.query({ query: gql(SESSION), variables: { provider: 'VERIFA', id: 'ses_approved' } });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(EXPECTED);
    expect(seen).toEqual([{ method: 'POST', contentType: 'application/json' }]);
    client.stop();
  });

  it('still refuses a GET that carries neither a key nor a preflight header', async () => {
    const url = `${gw.gateway.url}?query=${encodeURIComponent('{ providers { provider } }')}`;
    const anonymous = await request(url);
    expect(anonymous.statusCode).toBe(401);
    expect(await anonymous.body.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('answers a GET with the key and nothing else (what urql sends)', async () => {
    const url = `${gw.gateway.url}?query=${encodeURIComponent('{ providers { provider } }')}`;
    const get = await request(url, { headers: { authorization: `Bearer ${FULL_KEY}` } });
    expect(get.statusCode).toBe(200);
    expect(await get.body.json()).toEqual({
      data: { providers: PROVIDERS.map((provider) => ({ provider })) },
    });
  });
});
