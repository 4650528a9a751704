/**
 * What each stage of a distinct-id operation costs, end to end: builds copies of dist/ with one more stage taken
 * out each (cumulative), then runs bench/run.ts in realistic mode with them as (g), (h), (i), … beside (e) and (f),
 * in the same alternating rounds. The difference between two neighbouring builds is that stage's cost per operation,
 * its garbage included ("main thread ms/op" is the steadiest column). docs/benchmarks.md, "Where the time goes".
 *
 * The copies are MEASUREMENT ONLY: they drop checks Verigate will not drop, and some answer a fixed body. They are
 * made by replacing text in the compiled JavaScript; a replacement that no longer matches stops the script, so a
 * refactor cannot silently turn a lesion into a no-op.
 *
 * Usage: npm run build && node bench/lesions.ts   (BENCH_ROUNDS, BENCH_SECONDS as for bench/run.ts)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url).pathname;

type Lesion = { dir: string; edits: Array<[file: string, from: string, to: string]> };

const LESIONS: Lesion[] = [
  {
    dir: 'dist-lesion1-no-observability',
    edits: [
      ['observability/tracing.js', 'export function withOperationSpan(headers, run) {', '$& return run();'],
      ['http/graphql.js', 'const finished = deps.metrics.requestStarted();', 'const finished = () => {};'],
      ['http/graphql.js', 'const summary = summarizeOperation(', 'if (false) { $&'],
      ['http/graphql.js', 'summary.errorCodes);', '$& }'],
      ['upstream/events.js', 'export function emitUpstreamEvent(event) {', '$& return;'],
      ['graphql/apollo.js', '            operationRecordPlugin,\n            operationSpanPlugin,\n', ''],
    ],
  },
  {
    dir: 'dist-lesion2-no-zod',
    edits: [
      ['upstream/parse.js', 'const result = schema.safeParse(json);', 'const result = { success: true, data: json };'],
    ],
  },
  {
    // The first decision is normalised once; later ones reuse it with their own id.
    dir: 'dist-lesion3-no-normalisation',
    edits: [
      [
        'providers/didit/clientV1.js',
        'return normalizeDiditV1Decision(parseUpstreamJson(',
        'const raw = parseUpstreamJson(',
      ],
      [
        'providers/didit/clientV1.js',
        "'decision payload'), this.sandbox);",
        "'decision payload'); globalThis.__first ??= normalizeDiditV1Decision(raw, this.sandbox); return { ...globalThis.__first, providerSessionId: id };",
      ],
    ],
  },
  {
    // graphql-js called directly with a parsed document kept per query text: no Apollo pipeline or plugins.
    dir: 'dist-lesion4-no-apollo',
    edits: [
      [
        'http/graphql.js',
        'import { SessionLoader } from "../graphql/loaders.js";',
        '$&\nimport { buildSchema } from "../graphql/schema.js";\nimport { parse, execute } from "graphql";\nconst SCHEMA = buildSchema(); const DOCS = new Map();',
      ],
      [
        'http/graphql.js',
        'deps.apollo.executeHTTPGraphQLRequest({',
        '(async (o) => { const b = request.body; let doc = DOCS.get(b.query); if (!doc) { doc = parse(b.query); DOCS.set(b.query, doc); } const r = await execute({ schema: SCHEMA, document: doc, variableValues: b.variables, contextValue: await o.context() }); return { status: 200, headers: new Map([["content-type", "application/json; charset=utf-8"]]), body: { kind: "complete", string: JSON.stringify(r) } }; })({',
      ],
    ],
  },
  {
    // The session is still loaded (upstream call, JSON.parse); the first answer is executed once and then reused.
    dir: 'dist-lesion5-no-execution',
    edits: [
      [
        'http/graphql.js',
        'const r = await execute({ schema: SCHEMA, document: doc, variableValues: b.variables, contextValue: await o.context() });',
        'const c = await o.context(); if (!globalThis.__answer) globalThis.__answer = await execute({ schema: SCHEMA, document: doc, variableValues: b.variables, contextValue: c }); else await c.sessions.load("DIDIT", b.variables.id); const r = globalThis.__answer;',
      ],
    ],
  },
  {
    dir: 'dist-lesion6-no-auth',
    edits: [
      [
        'http/graphql.js',
        'async function authenticate(authenticator, req, res, reject) {',
        '$& return { name: "bench", via: "api_key", scopes: new Set(["sessions:read", "pii:read"]), sessions: null };',
      ],
    ],
  },
  {
    dir: 'dist-lesion7-no-response-cache-key',
    edits: [
      [
        'http/graphql.js',
        '? ResponseCache.keyOf(x.req.headers.authorization, x.req.headers.accept, read.rawBody)',
        '? null',
      ],
    ],
  },
  {
    dir: 'dist-lesion8-no-vendor-json-parse',
    edits: [
      [
        'providers/didit/clientV1.js',
        'const raw = parseUpstreamJson(',
        'const raw = globalThis.__first ? null : parseUpstreamJson(',
      ],
    ],
  },
];

function apply(dir: string, [file, from, to]: [string, string, string]) {
  const path = `${root}${dir}/${file}`;
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${dir}/${file} no longer contains: ${from.slice(0, 80)}`);
  writeFileSync(
    path,
    text.replace(from, () => to.replaceAll('$&', from)),
  );
}

let previous = 'dist';
for (const lesion of LESIONS) {
  rmSync(`${root}${lesion.dir}`, { recursive: true, force: true });
  cpSync(`${root}${previous}`, `${root}${lesion.dir}`, { recursive: true });
  for (const edit of lesion.edits) apply(lesion.dir, edit);
  previous = lesion.dir;
}

const run = spawnSync(process.execPath, [new URL('./run.ts', import.meta.url).pathname], {
  stdio: 'inherit',
  env: {
    ...process.env,
    BENCH_ONLY: 'realistic',
    BENCH_SOAK: process.env.BENCH_SOAK ?? '0',
    BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? '5',
    BENCH_SECONDS: process.env.BENCH_SECONDS ?? '6',
    BENCH_LATENCY_OPS: process.env.BENCH_LATENCY_OPS ?? '800',
    BENCH_BASELINE_DIST: LESIONS.map((l) => l.dir).join(','),
  },
});
if (!process.env.BENCH_KEEP_LESIONS)
  for (const l of LESIONS) rmSync(`${root}${l.dir}`, { recursive: true, force: true });
process.exit(run.status ?? 1);
