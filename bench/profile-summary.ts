/**
 * Summarises a V8 .cpuprofile (from `BENCH_PROFILE=1 npm run bench`): self time by function and by package, as
 * shares of the busy (non-idle) time.
 * Usage: node bench/profile-summary.ts bench/results/<file>.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTime = new Map<number, number>();
let total = 0;
// Idle time is left out: a benchmark child waits while the other targets run.
const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  if (idle.has(id)) return;
  selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
  total += dt;
});

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const [id, time] of selfTime) {
  const { functionName, url, lineNumber } = (nodes.get(id) as ProfileNode).callFrame;
  const where = url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/');
  const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
  const pkg =
    /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
    (url.includes('/src/') ? 'verigate' : url ? url.split('/').slice(0, 4).join('/') : '(native, gc, idle)');
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + time);
}
const show = (title: string, map: Map<string, number>, top: number) => {
  process.stdout.write(`${title}\n`);
  for (const [name, time] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((time / total) * 100).toFixed(1).padStart(5)}%  ${name}\n`);
  }
};
show('self time by function', byFunction, Number(topArg ?? 30));
show('\nself time by package', byPackage, 15);
