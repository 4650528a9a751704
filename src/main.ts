import { ConfigError, loadConfig } from './config/index.ts';
import { logger } from './logger.ts';
import { startGateway } from './server.ts';

/** Past the announce delay and the drain timeout, closing Apollo, Redis and the pools gets this long, ms. */
const HARD_STOP_GRACE_MS = 5_000;
/**
 * The sandbox's timed scenarios: a step every 3.5 s, and a finished one starts over half a minute later, so a second
 * demo (a new subscription, the playground's watch tab) sees every step again.
 */
const SANDBOX_PACE = { stepMs: 3_500, restartAfterMs: 30_000 };

/** Entry point: validate config, start providers (simulators for sandboxed ones), serve, drain on signals. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  logger.level = config.logLevel;

  const gateway = await startGateway(config, { timelineStepMs: SANDBOX_PACE });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const { shutdownDelayMs, drainTimeoutMs } = config.server;
    logger.info({ signal, announceMs: shutdownDelayMs, drainTimeoutMs }, 'draining');
    // A hard stop: whatever shutdown still waits for past its deadline is logged, and the process exits non-zero.
    const deadline = setTimeout(
      () => {
        logger.error({ waitingFor: gateway.shutdownStep() }, 'shutdown deadline passed; exiting');
        process.exit(1);
      },
      shutdownDelayMs + drainTimeoutMs + HARD_STOP_GRACE_MS,
    );
    gateway.close({ announceMs: shutdownDelayMs }).then(
      () => {
        clearTimeout(deadline);
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  const sandboxed = gateway.registry.sandboxed();
  const info = gateway.registry.info();
  logger.info(
    {
      url: gateway.url,
      address: gateway.address,
      playground: config.playground.enabled ? gateway.url.replace(/graphql$/, 'playground') : null,
      sandboxed,
      live: info.filter((p) => p.configured && !p.sandbox).map((p) => p.provider),
      off: info.filter((p) => !p.configured).map((p) => p.provider),
    },
    sandboxed.length > 0 ? `Verigate listening; sandboxed providers: ${sandboxed.join(', ')}` : 'Verigate listening',
  );
  if (gateway.devKey) {
    // The one place a key is printed: a throwaway development key, to the terminal, outside production only.
    process.stdout.write(
      `\nVerigate is running on the sandbox at ${gateway.url}\nDevelopment API key (all scopes, valid until this process exits):\n\n  Authorization: Bearer ${gateway.devKey}\n\n`,
    );
    if (config.playground.enabled) {
      const playground = gateway.url.replace(/graphql$/, 'playground');
      process.stdout.write(`Playground (in a browser on this machine, with the key filled in): ${playground}\n\n`);
    }
    process.stdout.write(startBanner(gateway.url, gateway.devKey));
  }
}

/** How to try `startVerification` on the sandbox: one curl, then the link it answers, in a browser. */
function startBanner(url: string, key: string): string {
  const query =
    'mutation { startVerification(input: { subjectRef: \\"user-1\\", idempotencyKey: \\"try-it-0001\\" }) { hostedUrl replayed session { provider providerSessionId status } } }';
  return [
    'Start a verification (sandbox): run this, open the hostedUrl it answers and press Approve; the session turns',
    'APPROVED (watch it with sessionUpdated). The same command again is a replay (replayed: true); change idempotencyKey for another.',
    '',
    `  curl -s ${url} -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\`,
    `    -d '{"query":"${query}"}'`,
    '',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  logger.fatal({ err: error instanceof Error ? error.message : String(error) }, 'failed to start');
  process.exit(1);
});
