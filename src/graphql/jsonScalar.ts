import { GraphQLScalarType } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { type JsonLimits, jsonExcess } from '../upstream/boundedJson.ts';
import { GatewayError } from '../upstream/errors.ts';

/**
 * What a JSON field may send. Vendor values are bounded at parse time (VENDOR_JSON_LIMITS) and a session wraps
 * them once at most, so these are never reached in practice; they stop a value that got past the parser from
 * overflowing the stack when the whole answer is serialised.
 */
const SENDABLE: JsonLimits = { maxDepth: 64, maxNodes: 100_000, maxBytes: Number.POSITIVE_INFINITY };

function unsendable(): GatewayError {
  return new GatewayError('UPSTREAM_BAD_RESPONSE', 'This JSON value is too deep or too large to send.');
}

/**
 * The `JSON` scalar, whose serialize fails its own field (null, with a coded error) instead of the whole
 * response: one value can never turn an answer into HTTP 500.
 */
export const JSONScalar = new GraphQLScalarType({
  ...JSONResolver.toConfig(),
  serialize(value) {
    let sendable: boolean;
    try {
      sendable = jsonExcess(value, SENDABLE) === null;
    } catch {
      sendable = false; // a getter that throws, a proxy: nothing a vendor payload holds, still never past the field
    }
    if (!sendable) throw unsendable();
    return JSONResolver.serialize(value);
  },
});
