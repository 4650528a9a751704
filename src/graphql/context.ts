import type { Outbox } from '../outbound/outbox.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { StartService } from '../start/service.ts';
import type { SubscriptionService } from '../subscriptions/service.ts';
import type { Caller } from './auth.ts';
import type { SessionLoader } from './loaders.ts';

/** What every resolver gets: who is calling, the per-request loader, and the providers. */
export interface GatewayContext {
  requestId: string;
  caller: Caller;
  sessions: SessionLoader;
  registry: ProviderRegistry;
  /** Set for operations over SSE and WebSocket; a subscription's feed replaces `sessions` before each event. */
  subscriptions?: SubscriptionService;
  /** Outbound webhook deliveries (queries and mutations over HTTP only). */
  outbox?: Outbox;
  /** `startVerification` (mutations over HTTP only). */
  starts?: StartService;
}
