import type { Provider } from '../../src/model/session.ts';
import { FULL_KEY, READ_ONLY_KEY } from './gateway.ts';

/** What the startVerification suites share: a key with `sessions:start`, the mutation, its answer's shape. */

export const START_KEY = 'test-key-start-sessions-0004';
export const START_KEYS = JSON.stringify([
  { name: 'full', key: FULL_KEY, scopes: ['sessions:read', 'pii:read'] },
  { name: 'read-only', key: READ_ONLY_KEY, scopes: ['sessions:read'] },
  { name: 'starter', key: START_KEY, scopes: ['sessions:read', 'sessions:start'] },
]);

export const START = /* GraphQL */ `
  mutation Start($input: StartVerificationInput!) {
    startVerification(input: $input) {
      session { id provider providerSessionId status isTerminal sandbox }
      hostedUrl clientToken expiresAt replayed
      attempts { provider code }
    }
  }
`;
export interface Started {
  session: {
    id: string;
    provider: Provider;
    providerSessionId: string;
    status: string;
    isTerminal: boolean;
    sandbox: boolean;
  };
  hostedUrl: string | null;
  clientToken: string | null;
  expiresAt: string | null;
  replayed: boolean;
  attempts: Array<{ provider: Provider; code: string | null }>;
}
