import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playgroundRoute } from '../src/http/playground.ts';

/** The playground before its bundle is built: it says how to build it, and serves it once built, without a restart. */
describe('the playground without its bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-playground-'));
  const route = playgroundRoute({ devKey: null, sandboxed: [], buildDir: dir });
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://gateway.local');
      Promise.resolve(route(req, res, url)).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 saying which command builds it, then serves it once built', async () => {
    const before = await request(`${base}/playground`);
    expect({ status: before.statusCode, body: await before.body.text() }).toEqual({
      status: 503,
      body: 'The playground is not built. In the repository, run `npm run playground:build` (npm install, npm start and npm test build it too), then reload this page: the gateway picks it up without a restart.\n',
    });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>GraphiQL</title>');
    const after = await request(`${base}/playground`);
    expect({ status: after.statusCode, body: await after.body.text() }).toEqual({
      status: 200,
      body: '<!doctype html><title>GraphiQL</title>',
    });
  });
});
