/**
 * `npm run build` step: the timeline's migrations are plain SQL read at start beside the compiled engines, and tsc
 * copies no .sql, so each engine's `migrations/` folder is copied into dist/ (the Dockerfile and the bench run dist/).
 */
import { cpSync } from 'node:fs';

for (const engine of ['sqlite', 'postgres'])
  cpSync(`src/events/${engine}/migrations`, `dist/events/${engine}/migrations`, { recursive: true });
