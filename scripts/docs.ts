/**
 * Regenerates the texts the code owns: the README's sandbox scenario table and provider environment rows,
 * docs/status-mapping.md, docs/decline-reasons.md, docs/errors.md, and what the provider registry derives (the model's
 * provider list, the schema's `Provider` enum, deploy/.env.example's vendor variables, package.json's description).
 * `npm run docs` writes them; `npm run docs -- --check` fails when they are stale (run by `npm test`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { providerModules } from '../src/providers/index.ts';
import { declineReasonsDoc } from './declineReasons.ts';
import { errorsDoc } from './errorsDoc.ts';
import {
  envExampleVendors,
  packageJsonText,
  providerEnumText,
  providerEnvRows,
  providersModuleText,
} from './providerList.ts';
import { statusMappingDoc } from './statusMapping.ts';

const check = process.argv.includes('--check');

function scenarioTable(): string {
  const lines: string[] = [];
  for (const module of providerModules()) {
    lines.push(`#### ${module.label} (\`provider: ${module.provider}\`)`, '');
    lines.push('| session id | what it shows |', '|---|---|');
    for (const s of module.scenarios ?? []) lines.push(`| \`${s.id}\` | ${s.description.replaceAll('|', '\\|')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Replaces what lies between two marker lines: `<!-- name:start -->` in Markdown, `# name:start` elsewhere. */
function replaceBetween(text: string, name: string, content: string, markdown = true): string {
  const start = markdown ? `<!-- ${name}:start -->` : `# ${name}:start`;
  const end = markdown ? `<!-- ${name}:end -->` : `# ${name}:end`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`markers ${start} ... ${end} not found`);
  return `${text.slice(0, a + start.length)}\n${content}\n${text.slice(b)}`;
}

const files: Array<[string, (text: string) => string]> = [
  [
    'README.md',
    (text) => replaceBetween(replaceBetween(text, 'scenarios', scenarioTable()), 'provider-env', providerEnvRows()),
  ],
  ['src/generated/providers.ts', () => providersModuleText()],
  ['schema/provider-enum.graphql', () => providerEnumText()],
  ['docs/status-mapping.md', () => statusMappingDoc()],
  ['docs/decline-reasons.md', () => declineReasonsDoc()],
  ['docs/errors.md', () => errorsDoc()],
  ['deploy/.env.example', (text) => replaceBetween(text, 'vendors', envExampleVendors(), false)],
  ['package.json', (text) => packageJsonText(text)],
];

let stale = 0;
for (const [file, update] of files) {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const after = update(before);
  if (before === after) continue;
  if (check) {
    stale += 1;
    process.stderr.write(`stale: ${file}; run \`npm run docs\`\n`);
  } else {
    writeFileSync(file, after);
    process.stdout.write(`updated ${file}\n`);
  }
}
if (stale > 0) process.exit(1);
