import type { MutationResolvers } from '../generated/graphql.ts';
import { logger } from '../logger.ts';
import type { Provider, Session } from '../model/session.ts';
import type { RawStartInput } from '../start/input.ts';
import { GatewayError } from '../upstream/errors.ts';
import { noteFreshness } from '../upstream/events.ts';
import { requireScope } from './auth.ts';
import type { GatewayContext } from './context.ts';

/**
 * `Mutation.startVerification`: the `sessions:start` scope, then the start service (src/start/service.ts). The answer
 * carries bearer secrets, so it is never reused (`noteFreshness(null)`: the response cache skips it; every /graphql
 * answer is `no-store` already). The new session is primed in this operation's loader (non-secret fields only), so
 * `session { … }` in the same answer costs no vendor call; a replay's session is loaded as it is now.
 */
export const startVerification: NonNullable<MutationResolvers['startVerification']> = async (_p, { input }, ctx) => {
  requireScope(ctx.caller, 'sessions:start');
  noteFreshness(null);
  if (!ctx.starts) throw new GatewayError('BAD_USER_INPUT', 'startVerification is served over HTTP POST only.');
  const result = await ctx.starts.start(ctx.caller.name, input as RawStartInput);
  if (result.session) ctx.sessions.prime(result.session);
  return {
    session: result.session ?? (await replayed(ctx, result.provider, result.providerSessionId)),
    hostedUrl: result.hostedUrl,
    clientToken: result.clientToken,
    expiresAt: result.expiresAt,
    replayed: result.replayed,
    attempts: result.attempts,
  };
};

/**
 * A replay's session as the vendor has it now; while the vendor cannot be read (or the caller's token does not name
 * it), what Verigate last saw of it, so the replay still says which session the key made.
 */
async function replayed(ctx: GatewayContext, provider: Provider, id: string): Promise<Session> {
  try {
    return await ctx.sessions.load(provider, id);
  } catch (error) {
    const code = error instanceof GatewayError ? error.code : 'INTERNAL_SERVER_ERROR';
    logger.info({ provider, code }, 'start: replayed session answered from what Verigate last saw');
    const session = await (ctx.starts as NonNullable<GatewayContext['starts']>).replayedSession(provider, id);
    ctx.sessions.prime(session);
    return session;
  }
}
