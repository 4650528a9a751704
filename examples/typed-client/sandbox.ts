/**
 * `npm run example:typed-client`: starts Verigate on its sandbox (every provider on its simulator, a development
 * key), runs the example program against it as a separate process, as a frontend would, and stops.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadConfig } from '../../src/config/index.ts';
import { logger } from '../../src/logger.ts';
import { startGateway } from '../../src/server.ts';

logger.level = 'warn';
// A demo keeps its session timeline in memory: nothing is left on disk.
const gateway = await startGateway(
  loadConfig({ NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: 'sqlite::memory:' }),
);
try {
  const child = spawn(process.execPath, [new URL('./src/main.ts', import.meta.url).pathname], {
    env: { ...process.env, VERIGATE_URL: gateway.url, VERIGATE_API_KEY: gateway.devKey ?? '' },
    stdio: 'inherit',
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  process.exitCode = code ?? 1;
} finally {
  await gateway.close();
}
