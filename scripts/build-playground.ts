/**
 * Builds the playground: GraphiQL, React and Monaco from node_modules, bundled by esbuild into build/playground/
 * (gitignored), with brotli and gzip copies for the server to send. No CDN is involved at build or run time.
 *
 * Runs on `npm install` (prepare) and before `npm start` and `npm test`; it skips itself when nothing it reads has
 * changed since the last build (`--force` rebuilds anyway).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { BuildOptions, Plugin } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const clientDir = join(root, 'src/playground/client');
const outDir = join(root, 'build/playground');
const fingerprintFile = join(outDir, '.fingerprint');
const force = process.argv.includes('--force');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** Everything the bundle depends on: the client sources, this script, and the locked package versions. */
function fingerprint(): string {
  const hash = createHash('sha256');
  const inputs = [
    ...files(clientDir),
    join(root, 'src/playground/protocol.ts'),
    fileURLToPath(import.meta.url),
    join(root, 'package-lock.json'),
  ];
  for (const file of inputs) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

if (!existsSync(clientDir)) {
  // A dependency-only install (the container's first layer, or its production stage): nothing to build yet.
  process.stdout.write('playground: no sources in this tree; nothing to build\n');
  process.exit(0);
}

const wanted = fingerprint();
if (!force && existsSync(fingerprintFile) && readFileSync(fingerprintFile, 'utf8') === wanted) {
  process.stdout.write('playground: build/playground is up to date\n');
  process.exit(0);
}

const { build } = await import('esbuild');
const started = performance.now();
// Build beside the old output and swap at the end, so a failed build never leaves half a playground.
const tmpDir = `${outDir}.tmp-${process.pid}`;
rmSync(tmpDir, { recursive: true, force: true });
const assetsDir = join(tmpDir, 'assets');

const common: BuildOptions = {
  bundle: true,
  minify: true,
  target: ['es2022'],
  logLevel: 'warning',
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
};

/** graphiql/style.css already carries Monaco's styles; the copies its modules import would be split out unused. */
const skipMonacoCss: Plugin = {
  name: 'skip-monaco-css',
  setup(b) {
    b.onLoad({ filter: /[\\/]monaco-editor[\\/]esm[\\/].*\.css$/ }, () => ({ contents: '', loader: 'empty' }));
  },
};

await build({
  ...common,
  plugins: [skipMonacoCss],
  entryPoints: { playground: join(clientDir, 'main.tsx') },
  outdir: assetsDir,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: '[name]-[hash]',
  jsx: 'automatic',
  loader: { '.ttf': 'file' },
});

// Monaco's language services, one classic worker script each (see src/playground/client/workers.ts).
await build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  outdir: assetsDir,
  format: 'iife',
});

mkdirSync(tmpDir, { recursive: true });
writeFileSync(join(tmpDir, 'index.html'), readFileSync(join(clientDir, 'index.html')));
writeFileSync(join(assetsDir, 'favicon.svg'), readFileSync(join(clientDir, 'favicon.svg')));

let raw = 0;
let brotli = 0;
for (const file of files(tmpDir)) {
  const body = readFileSync(file);
  raw += body.length;
  if (!/\.(js|css|html|ttf|txt)$/.test(file) || body.length < 1024) {
    brotli += body.length;
    continue;
  }
  const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  brotli += br.length;
}
writeFileSync(join(tmpDir, '.fingerprint'), wanted);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(dirname(outDir), { recursive: true });
renameSync(tmpDir, outDir);

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
const entry = statSync(join(outDir, 'assets/playground.js')).size;
process.stdout.write(
  `playground: built build/playground in ${Math.round(performance.now() - started)} ms: ${mib(raw)} in all ` +
    `(${mib(brotli)} as sent with brotli), entry script ${mib(entry)}\n`,
);
