// The gateway as the container runs it: compiled JavaScript from dist/ (`npm run build`), no TypeScript loader in
// the process. bench/run.ts forks it; it answers the same IPC messages as bench/servers.ts.
// BENCH_DIST names another build (a copy of dist/ inside the repository) to measure a change against it in one run.
const dist = new URL(`../${process.env.BENCH_DIST ?? 'dist'}/`, import.meta.url);
const { loadConfig } = await import(new URL('config/index.js', dist).href);
const { logger } = await import(new URL('logger.js', dist).href);
const { startGateway } = await import(new URL('server.js', dist).href);

// The one info line per operation is written, as in production (bench/run.ts sends it to /dev/null); BENCH_LOG=0
// silences it.
const LOG_LEVEL = process.env.BENCH_LOG === '0' ? 'silent' : 'info';
logger.level = LOG_LEVEL;
const gateway = await startGateway(loadConfig({ ...process.env, PORT: '0', LOG_LEVEL }), {
  store: { dedupInFlight: process.env.BENCH_DEDUP !== '0' },
});
process.send?.({ type: 'ready', url: gateway.url });
process.on('message', async (message) => {
  if (message.type === 'gc') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send?.({ type: 'gc', ...process.memoryUsage() });
  } else if (message.type === 'stop') {
    setTimeout(() => process.exit(0), 1_000).unref();
    await gateway.close();
    process.exit(0);
  }
});
