import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * What a frontend team runs: GraphQL Code Generator's client preset reads Verigate's schema and the team's own
 * operations, and writes TypedDocumentNodes whose variables and results are typed from the schema.
 * `npm run example:codegen` (or `npm run codegen`, which also regenerates the gateway's types) writes src/gql/.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const config: CodegenConfig = {
  schema: here('../../schema/*.graphql'),
  documents: here('src/operations/*.graphql'),
  // Node runs the example's TypeScript as is, so generated imports name the .ts files.
  importExtension: '.ts',
  generates: {
    [here('src/gql/')]: {
      preset: 'client',
      presetConfig: { fragmentMasking: { unmaskFunctionName: 'getFragmentData' } },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // Only what operations use: a new type elsewhere in the schema does not touch the client.
        onlyOperationTypes: true,
        scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
