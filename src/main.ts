import { loadEnvFile } from './config/envFile.ts';
import { type Config, ConfigError, loadConfig } from './config/index.ts';
import { exitWhenLogged, logger } from './logger.ts';
import { type Gateway, startGateway } from './server.ts';
import { listenProblem, providerModeLines, runModes } from './startup.ts';

/** Past the announce delay and the drain timeout, closing Apollo, Redis and the pools gets this long, ms. */
const HARD_STOP_GRACE_MS = 5_000;
/**
 * The sandbox's timed scenarios: a step every 3.5 s, and a finished one starts over half a minute later, so a second
 * demo (a new subscription, the playground's watch tab) sees every step again.
 */
const SANDBOX_PACE = { stepMs: 3_500, restartAfterMs: 30_000 };

/** Entry point: read `.env`, validate config, start providers (simulators for sandboxed ones), serve, drain on signals. */
async function main(): Promise<void> {
  // Before anything reads the environment; what the environment already holds wins over the file.
  const envFile = loadEnvFile(process.env);
  let config: Config;
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
  // Names only: a value in .env may be a secret.
  if (envFile) logger.info(envFile, `read ${envFile.file} (the environment's own values win)`);

  let gateway: Gateway;
  try {
    gateway = await startGateway(config, { timelineStepMs: SANDBOX_PACE });
  } catch (error) {
    const problem = listenProblem(error, config.port);
    if (problem === null) throw error;
    logger.fatal({ err: error instanceof Error ? error.message : String(error) }, 'failed to start');
    process.stderr.write(`\n${problem}\n`);
    process.exit(1);
  }
  handleSignals(gateway, config);
  announce(gateway, config);
}

/**
 * SIGTERM or SIGINT drains (SHUTDOWN_DELAY_SECONDS, then the in-flight requests); a second one exits at once, so a
 * Ctrl-C pressed twice never waits.
 */
function handleSignals(gateway: Gateway, config: Config): void {
  let stopping = false;
  let stopped = false;
  const stop = (signal: string) => {
    // Stopped already, only its last log lines still being written: the exit is on its way, with its own code.
    if (stopped) return;
    if (stopping) {
      logger.warn({ signal }, 'second signal; exiting now');
      process.exit(1);
    }
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
        stopped = true;
        logger.info('stopped');
        exitWhenLogged(0);
      },
      (error: unknown) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        exitWhenLogged(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** The start line (JSON), and for a person at a terminal each provider's mode and the development key. */
function announce(gateway: Gateway, config: Config): void {
  const info = gateway.registry.info();
  const modes = runModes(info);
  const named = (mode: string) => modes.filter((m) => m.mode === mode).map((m) => m.provider);
  logger.info(
    {
      url: gateway.url,
      address: gateway.address,
      playground: config.playground.enabled ? gateway.url.replace(/graphql$/, 'playground') : null,
      sandboxed: named('sandbox'),
      live: named('live'),
      off: named('off'),
    },
    `Verigate listening; providers: ${modes.map((m) => `${m.provider} ${m.mode}`).join(', ')}`,
  );
  if (gateway.devKey) {
    // The one place a key is printed: a throwaway development key, to the terminal, outside production only.
    process.stdout.write(
      `\nVerigate is running at ${gateway.url}, with these providers:\n\n${providerModeLines(info)}\n\n` +
        `Development API key (all scopes, valid until this process exits):\n\n  Authorization: Bearer ${gateway.devKey}\n\n`,
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
