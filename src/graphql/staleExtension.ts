import type { ApolloServerPlugin } from '@apollo/server';
import { currentOperationScope } from '../upstream/events.ts';
import type { GatewayContext } from './context.ts';

/**
 * When a session was served from a stale cache copy because its provider was unavailable, says so in the
 * response: `extensions.stale: [{ provider, ageSeconds }]`. Clients that must not act on stale data can tell.
 */
export const staleExtensionPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const stale = currentOperationScope()?.stale;
        if (!stale || stale.length === 0 || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, stale: [...stale] };
      },
    };
  },
};
