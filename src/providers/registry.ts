import { diditModule } from './didit/index.ts';
import { onfidoModule } from './onfido/index.ts';
import { personaModule } from './persona/index.ts';
import { plaidModule } from './plaid/index.ts';
import { stripeModule } from './stripe/index.ts';
import { sumsubModule } from './sumsub/index.ts';
import type { ProviderModule } from './types.ts';
import { veratadModule } from './veratad/index.ts';
import { verifaModule } from './verifa/index.ts';

/**
 * Every provider Verigate can speak to: the only list. Adding a vendor is a folder under src/providers/ and one
 * line here, then `npm run docs`, which derives the `Provider` enum (schema and model), the README tables and the
 * status docs from this list (`npm test` fails while they are stale). See docs/adding-a-provider.md.
 */
// biome-ignore format: one provider per line, so that adding one is a one-line change
const MODULES = [
  veratadModule,
  diditModule,
  verifaModule,
  onfidoModule,
  personaModule,
  sumsubModule,
  stripeModule,
  plaidModule,
];

/** Every registered provider module, in the order above (the order of the enum, the docs and the playground). */
export function providerModules(): readonly ProviderModule[] {
  return MODULES as readonly ProviderModule[];
}
