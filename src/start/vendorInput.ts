import type { Provider } from '../model/session.ts';
import { GatewayError, providerName } from '../upstream/errors.ts';

/**
 * A vendor's 4xx about what a start sent (an unknown workflow, a country it does not take): BAD_USER_INPUT, never
 * retried at another vendor. The message is Verigate's own: the vendor's machine code (when it is one) and the
 * input field its text names, by `fields` (vendor field → input field); never the vendor's free text, which may
 * echo what was sent.
 */
export function vendorRefusedInput(
  provider: Provider,
  fields: Readonly<Record<string, string>>,
  vendorText: string | null,
  vendorCode: string | null,
): GatewayError {
  const field =
    vendorText === null ? undefined : Object.entries(fields).find(([name]) => vendorText.includes(name))?.[1];
  const code = vendorCode !== null && /^[A-Za-z0-9_.-]{1,64}$/.test(vendorCode) ? vendorCode : null;
  const what = field ? `input.${field}` : 'the input';
  const error = new GatewayError(
    'BAD_USER_INPUT',
    `${providerName(provider)} refused ${what}${code ? ` (${code})` : ''}; check it against your ${providerName(provider)} account.`,
    { provider },
  );
  if (field) error.extensions.field = field;
  return error;
}
