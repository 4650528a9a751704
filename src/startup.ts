import { PROVIDER_LABELS } from './generated/providers.ts';
import type { ProviderInfo } from './model/session.ts';

/** What `npm start` tells a person in the terminal, apart from the JSON log lines. */

export type ProviderRunMode = 'sandbox' | 'live' | 'off';

/** Each provider's mode as the registry started it: its simulator, its real API, or not at all. */
export function runModes(
  info: readonly ProviderInfo[],
): { provider: ProviderInfo['provider']; mode: ProviderRunMode }[] {
  return info.map((p) => ({ provider: p.provider, mode: !p.configured ? 'off' : p.sandbox ? 'sandbox' : 'live' }));
}

/** One line per provider, aligned: `  ONFIDO    live     Onfido`. */
export function providerModeLines(info: readonly ProviderInfo[]): string {
  const modes = runModes(info);
  const width = Math.max(...modes.map((m) => m.provider.length));
  return modes
    .map((m) => `  ${m.provider.padEnd(width)}  ${m.mode.padEnd(7)}  ${PROVIDER_LABELS[m.provider]}`)
    .join('\n');
}

/**
 * A listen error in plain words: which port is taken (or may not be bound) and that `PORT` changes it. Null for
 * any other error (reported as it is).
 */
export function listenProblem(error: unknown, port: number): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  const address = (error as { address?: unknown } | null)?.address;
  const where = typeof address === 'string' ? ` on ${address}` : '';
  const other = `start on another port with PORT, e.g. \`PORT=${port === 4000 ? 4001 : 4000} npm start\``;
  if (code === 'EADDRINUSE')
    return `Port ${port}${where} is already in use (another Verigate, or another program). Stop it, or ${other}.`;
  if (code === 'EACCES')
    return `Port ${port}${where} may not be opened by this user (ports below 1024 need privileges): ${other}.`;
  return null;
}
