import { ConfigError, loadConfig } from './config/index.ts';
import { logger } from './logger.ts';
import { startGateway } from './server.ts';

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

  const gateway = await startGateway(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    gateway.close().then(
      () => {
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
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error instanceof Error ? error.message : String(error) }, 'failed to start');
  process.exit(1);
});
