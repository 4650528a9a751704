/**
 * A frontend's view of Verigate, with typed documents generated from the schema (src/gql/). Run it against a
 * running gateway:
 *
 *   VERIGATE_URL=http://127.0.0.1:4000/graphql VERIGATE_API_KEY=vg_dev_… node examples/typed-client/src/main.ts
 *
 * or let `npm run example:typed-client` start the sandbox for it.
 */
import { getFragmentData } from './gql/fragment-masking.ts';
import {
  type Provider,
  ProvidersOverviewDocument,
  SessionStatusDocument,
  type SessionSummaryFragment,
  SessionSummaryFragmentDoc,
  SessionsByRefDocument,
  type VerificationStatus,
  WatchSessionDocument,
} from './gql/graphql.ts';
import { VerigateClient, type VerigateResult } from './verigate.ts';

/** What the onboarding screen says for each status. Exhaustive: a new status fails to compile until handled. */
function statusLabel(status: VerificationStatus): string {
  switch (status) {
    case 'NOT_STARTED':
      return 'not started';
    case 'IN_PROGRESS':
      return 'in progress';
    case 'IN_REVIEW':
      return 'waiting for a reviewer';
    case 'APPROVED':
      return 'approved';
    case 'DECLINED':
      return 'declined';
    case 'RESUBMISSION_REQUESTED':
      return 'asked to redo a step';
    case 'EXPIRED':
      return 'expired';
    case 'ABANDONED':
      return 'abandoned';
    case 'ERROR':
      return 'failed at the provider';
    case 'UNKNOWN':
      return 'unknown to Verigate';
    default:
      return status satisfies never;
  }
}

/** One line per session, from the fields the SessionSummary fragment declares (and nothing else). */
function describe(session: SessionSummaryFragment): string {
  const parts = [
    `${session.provider} ${session.providerSessionId}: ${statusLabel(session.status)} ` +
      `(${session.status}${session.isTerminal ? ', final' : ''}; provider status "${session.providerStatus}")`,
  ];
  if (session.reasonCode) parts.push(`reason ${session.reasonCode}`);
  if (session.applicant?.fullName) parts.push(session.applicant.fullName);
  if (session.kyc?.documentType) parts.push(`${session.kyc.documentType} from ${session.kyc.issuingCountry ?? '?'}`);
  if (session.face?.faceMatchScore != null) {
    parts.push(`face match ${session.face.faceMatchScore} (${session.face.faceMatchPassed ? 'passed' : 'not passed'})`);
  }
  return parts.join('; ');
}

/** The errors of a response at `path` (a field, or one item of a list), as `CODE message`. */
function errorsAt(result: VerigateResult<unknown>, ...path: Array<string | number>): string[] {
  return (result.errors ?? [])
    .filter((e) => path.every((p, i) => e.path?.[i] === p))
    .map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`);
}

/** The vendors' documented example sessions, which Verigate's sandbox serves under the same ids. */
const DOCUMENTED_EXAMPLES: ReadonlyArray<{ provider: Provider; id: string }> = [
  { provider: 'VERATAD', id: '19fe3b9e-384e-41d1-bded-8de9ef3abacb' },
  { provider: 'DIDIT', id: '11111111-2222-3333-4444-555555555555' },
  { provider: 'VERIFA', id: 'ses_abc123' },
];

export async function run(client: VerigateClient, print: (line: string) => void): Promise<boolean> {
  let ok = true;

  print('Providers:');
  const providers = await client.request(ProvidersOverviewDocument);
  for (const p of providers.data?.providers ?? []) {
    print(
      `  ${p.provider}: ${p.sandbox ? 'sandbox' : 'live'}, ${p.healthy ? 'healthy' : 'unhealthy'}, circuit ${p.circuit}`,
    );
  }
  ok &&= providers.errors === undefined;

  print('One session at a time:');
  for (const ref of DOCUMENTED_EXAMPLES) {
    const result = await client.request(SessionStatusDocument, ref);
    const session = result.data?.session;
    const line = session
      ? describe(getFragmentData(SessionSummaryFragmentDoc, session))
      : `${ref.provider} ${ref.id}: ${errorsAt(result, 'session').join('; ')}`;
    print(`  ${line}`);
    ok &&= session != null;
  }

  print('A batch, one of them missing (its error does not fail the others):');
  const refs = [
    { provider: 'VERIFA', id: 'ses_approved' },
    { provider: 'VERIFA', id: 'ses_missing' },
    { provider: 'DIDIT', id: 'd1d10200-0000-4000-8000-000000000005' },
  ] satisfies Array<{ provider: Provider; id: string }>;
  const batch = await client.request(SessionsByRefDocument, { refs });
  for (const [i, item] of (batch.data?.sessions ?? []).entries()) {
    const line = item
      ? describe(getFragmentData(SessionSummaryFragmentDoc, item))
      : `${refs[i]?.provider} ${refs[i]?.id}: null, ${errorsAt(batch, 'sessions', i).join('; ')}`;
    print(`  [${i}] ${line}`);
  }
  ok &&= batch.data?.sessions.length === refs.length;
  if (!ok) return false;

  // A timed sandbox session (d1d10500-0000-4000-8000-000000000001) shows each step; a final one, a single event.
  const watched = { provider: 'VERIFA', id: process.env.VERIGATE_WATCH ?? 'ses_approved' } satisfies {
    provider: Provider;
    id: string;
  };
  print(`Watching ${watched.provider} ${watched.id} until it is final:`);
  let final = false;
  for await (const event of client.subscribe(WatchSessionDocument, watched)) {
    const session = event.data?.sessionUpdated && getFragmentData(SessionSummaryFragmentDoc, event.data.sessionUpdated);
    print(`  ${session ? describe(session) : errorsAt(event).join('; ')}`);
    final = session?.isTerminal ?? false;
  }
  print(final ? '  (the stream completed after the final status)' : '  (the stream ended before a final status)');
  client.close();
  ok &&= final;
  return ok;
}

if (import.meta.main) {
  const url = process.env.VERIGATE_URL ?? 'http://127.0.0.1:4000/graphql';
  const apiKey = process.env.VERIGATE_API_KEY;
  if (!apiKey) {
    process.stderr.write(
      'Set VERIGATE_API_KEY (npm start prints a development key), or run npm run example:typed-client.\n',
    );
    process.exit(2);
  }
  const ok = await run(new VerigateClient(url, apiKey), (line) => process.stdout.write(`${line}\n`));
  process.exit(ok ? 0 : 1);
}
