import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** What `loadEnvFile` read: the file, the names it set, and the names the environment already had (kept). */
export interface EnvFileRead {
  file: string;
  applied: string[];
  kept: string[];
}

/**
 * Reads `.env` in `dir` (the directory `npm start` runs in: the repository's root) into `env`, as Node's
 * `--env-file-if-exists` does: a variable the environment already has keeps its value, so `PORT=4001 npm start`
 * wins over the file. Null when there is no such file. Names only are returned, never a value (they are logged).
 */
export function loadEnvFile(env: Record<string, string | undefined>, dir = process.cwd()): EnvFileRead | null {
  const file = resolve(dir, '.env');
  if (!existsSync(file)) return null;
  const read: EnvFileRead = { file, applied: [], kept: [] };
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (env[name] !== undefined) {
      read.kept.push(name);
      continue;
    }
    env[name] = value;
    read.applied.push(name);
  }
  read.applied.sort();
  read.kept.sort();
  return read;
}
