/**
 * `node bench/rate-budget.ts`: what the shared rate budget adds to one upstream call. Takes tokens from a budget
 * large enough never to refuse, one at a time and 50 at once, from the local bucket and from the Redis-shared one
 * (REDIS_URL, default database 5 of the local Redis; its key is deleted afterwards). Prints per-take latency
 * percentiles and how many takes fell back to the local budget (a Redis answer slower than 50 ms), and the machine's
 * load average, since Redis shares the machine.
 */
import { cpus, loadavg } from 'node:os';
import { createRedis } from '../src/cache/redisClient.ts';
import { logger } from '../src/logger.ts';
import { onUpstreamEvent } from '../src/upstream/events.ts';
import { RateBudget } from '../src/upstream/rateLimit.ts';
import { SharedRateBudget } from '../src/upstream/sharedRateBudget.ts';

const TAKES = Number(process.env.BENCH_TAKES ?? 20_000);
const CONCURRENCY = 50;
const PER_MINUTE = 1_000_000; // a burst of a million: never refuses within the run
logger.level = 'silent';

const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/5');
await new Promise((resolve) => redis.once('ready', resolve));
let fallbacks = 0;
onUpstreamEvent((e) => {
  if (e.type === 'rate_budget_fallback') fallbacks += 1;
});

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
  return `p50 ${at(0.5)} µs, p99 ${at(0.99)} µs, max ${at(1)} µs`;
}

async function measure(name: string, take: () => unknown, concurrency: number): Promise<void> {
  const samples: number[] = [];
  let next = 0;
  fallbacks = 0;
  const worker = async () => {
    while (next < TAKES) {
      next += 1;
      const started = performance.now();
      await take();
      samples.push((performance.now() - started) * 1000);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${name.padEnd(28)} ${percentiles(samples)}; ${Math.round(TAKES / seconds)} takes/s; fallbacks ${fallbacks}`,
  );
}

const local = () => new RateBudget({ perMinute: PER_MINUTE });
// Every take asks Redis (no pause after a timeout), so that fallbacks count the answers slower than 50 ms.
const shared = () => new SharedRateBudget('VERIFA', local(), redis, { perMinute: PER_MINUTE, localForMs: 0 });
const alone = local();
await measure('local, 1 at a time', () => alone.take(), 1);
// Once with time to spare, so that a slow first answer does not send the whole run to the local budget.
await new SharedRateBudget('VERIFA', local(), redis, { perMinute: PER_MINUTE, timeoutMs: 1_000 }).take();
for (const concurrency of [1, CONCURRENCY]) {
  const budget = shared();
  await measure(`shared, ${concurrency} at a time`, () => budget.take(), concurrency);
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, ${cpus().length} CPUs`,
);
await redis.del('verigate:rate:VERIFA');
redis.disconnect();
