import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run playground:build` writes the GraphiQL bundle (gitignored). The same relative path works from
 * src/playground/ and from dist/playground/, so `npm start` and the compiled container find it alike.
 */
export const PLAYGROUND_BUILD_DIR = fileURLToPath(new URL('../../build/playground/', import.meta.url));

/** One built file, ready to send: its bytes, and precompressed copies where the build made them. */
export interface PlaygroundAsset {
  contentType: string;
  etag: string;
  identity: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

function readOptional(path: string): Buffer | null {
  return existsSync(path) ? readFileSync(path) : null;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

/**
 * Reads the build once: keys are URL paths under /playground/ (`index.html`, `assets/playground.js`). Null when
 * the bundle has not been built. Only files with a known type are served; `.br`/`.gz` are variants, not files.
 */
export function loadPlaygroundAssets(dir: string = PLAYGROUND_BUILD_DIR): Map<string, PlaygroundAsset> | null {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const assets = new Map<string, PlaygroundAsset>();
  for (const path of walk(dir)) {
    const contentType = CONTENT_TYPES[extname(path)];
    if (!contentType) continue;
    const identity = readFileSync(path);
    assets.set(relative(dir, path).split(sep).join('/'), {
      contentType,
      etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
      identity,
      br: readOptional(`${path}.br`),
      gzip: readOptional(`${path}.gz`),
    });
  }
  return assets;
}
