/**
 * Fails when src/generated/ or the typed-client example's src/gql/ is stale: regenerates both in memory from
 * schema/*.graphql (and the example's operations) and compares with the files on disk. Run `npm run codegen` to fix.
 */
import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.ts';
import exampleConfig from '../examples/typed-client/codegen.ts';

const outputs = [
  ...(await generate({ ...config, silent: true }, false)),
  ...(await generate({ ...exampleConfig, silent: true }, false)),
];
let stale = 0;
for (const { filename, content } of outputs) {
  let onDisk = '';
  try {
    onDisk = readFileSync(filename, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (onDisk !== content) {
    stale += 1;
    process.stderr.write(`stale: ${filename} differs from what schema/*.graphql generates; run \`npm run codegen\`\n`);
  }
}
if (stale > 0) process.exit(1);
process.stdout.write(`codegen: ${outputs.length} generated file(s) up to date\n`);
