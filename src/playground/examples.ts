import type { Provider } from '../model/session.ts';
import { providerModules } from '../providers/index.ts';
import type { ScenarioInfo } from '../providers/types.ts';
import { providerName } from '../upstream/errors.ts';
import type { ExampleOperation } from './protocol.ts';

/** The fields every session tab asks for: the unified shape a partner will use, one part of each kind. */
const SESSION_SELECTION = `    id
    provider
    providerSessionId
    status
    providerStatus
    isTerminal
    reasonCode
    userAction
    declineReasons {
      category
      retryable
      retryScope
      providerCode
      userMessage
    }
    createdAt
    sandbox
    applicant {
      fullName
      dateOfBirth
      nationality
    }
    kyc {
      status
      documentType
      documentNumber
      issuingCountry
      expirationDate
    }
    aml {
      status
      totalHits
    }
    face {
      faceMatchScore
      faceMatchPassed
      livenessScore
    }
    warnings {
      feature
      risk
      shortDescription
    }
    reviews {
      status
      comment
    }`;

const PROVIDERS_OPERATION: ExampleOperation = {
  name: 'Providers',
  query: `# Which providers this Verigate serves: live or
# sandboxed, healthy, and their circuit breakers.
query Providers {
  providers {
    provider
    configured
    sandbox
    healthy
    circuit
  }
}
`,
  variables: null,
};

/** `VERATAD` -> `Veratad`: the prefix of an operation name. */
function operationPrefix(provider: Provider): string {
  return provider.charAt(0) + provider.slice(1).toLowerCase();
}

/** Width of comment text in a tab, so that it reads without scrolling in a half-screen editor. */
const COMMENT_WIDTH = 52;

/** `text` as GraphQL comment lines of at most COMMENT_WIDTH characters, the first after `first`, the rest after `rest`. */
function comment(text: string, first = '# ', rest = first): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > COMMENT_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => `${i === 0 ? first : rest}${l}`);
}

/** A session tab for one sandboxed provider: its first scenario (the vendor's documented example) is the variable. */
export function sessionOperation(provider: Provider, scenarios: readonly ScenarioInfo[]): ExampleOperation | null {
  const [first, ...others] = scenarios;
  if (!first) return null;
  const name = `${operationPrefix(provider)}Session`;
  const lines = [
    ...comment(`${providerName(provider)} on the sandbox: run this (Ctrl-Enter), then try the other session ids
      listed below the query in Variables.`),
    ...comment(`${first.id}: ${first.description}`),
    `query ${name}($id: String!) {`,
    `  session(provider: ${provider}, id: $id) {`,
    SESSION_SELECTION,
    '  }',
    '}',
    '',
    '# More sandbox sessions of this provider:',
    ...others.flatMap((s) => [`#   ${s.id}`, ...comment(s.description, '#     ')]),
    '',
  ];
  return { name, query: lines.join('\n'), variables: JSON.stringify({ id: first.id }, null, 2) };
}

/**
 * A subscription tab on the first sandboxed provider's timed scenario that starts in progress (it changes every few
 * seconds and ends approved), so a partner watches `sessionUpdated` push each step; null without one.
 */
export function watchOperation(sandboxed: readonly Provider[]): ExampleOperation | null {
  for (const module of providerModules()) {
    if (!sandboxed.includes(module.provider)) continue;
    const timed = module.scenarios?.find(
      (s) => s.description.startsWith('timed') && /→ IN_PROGRESS/.test(s.description),
    );
    if (!timed) continue;
    const lines = [
      ...comment(`Live updates (GraphQL over WebSocket): run this and watch the session move, each step pushed as it
        happens, until a final status ends the stream. A timed scenario starts when first read and moves about every
        3.5 s; half a minute after its end it starts over, so you can watch it again.`),
      ...comment(`${timed.id}: ${timed.description}`),
      'subscription WatchSession($id: String!) {',
      `  sessionUpdated(provider: ${module.provider}, id: $id) {`,
      '    status',
      '    providerStatus',
      '    isTerminal',
      '    reasonCode',
      '    userAction',
      '  }',
      '}',
      '',
    ];
    return { name: 'WatchSession', query: lines.join('\n'), variables: JSON.stringify({ id: timed.id }, null, 2) };
  }
  return null;
}

/**
 * A tab that starts a verification on the sandbox (`startVerification`): routed (no provider), so it starts at the
 * first sandboxed provider that can; null when none can. Its answer's `hostedUrl` opens the simulator's page.
 */
export function startOperation(sandboxed: readonly Provider[]): ExampleOperation | null {
  if (!providerModules().some((m) => sandboxed.includes(m.provider) && m.sandboxFlow)) return null;
  const lines = [
    ...comment(`Start a verification: run this, open hostedUrl in a browser and press Approve (or decline, ask to
      resubmit, abandon). The vendor's signed webhook follows: the session turns APPROVED for a query, on
      sessionUpdated and in the outbound event. Without provider, VERIFICATION_ROUTING picks one by country. The same
      idempotencyKey again answers the same session (replayed: true); change it to start another. hostedUrl and
      clientToken are secrets: Verigate never logs or stores them.`),
    'mutation StartVerification($input: StartVerificationInput!) {',
    '  startVerification(input: $input) {',
    '    hostedUrl',
    '    clientToken',
    '    expiresAt',
    '    replayed',
    '    attempts {',
    '      provider',
    '      code',
    '    }',
    '    session {',
    '      id',
    '      provider',
    '      providerSessionId',
    '      status',
    '    }',
    '  }',
    '}',
    '',
  ];
  const input = { subjectRef: 'playground-user-1', country: 'US', idempotencyKey: 'playground-start-0001' };
  return { name: 'StartVerification', query: lines.join('\n'), variables: JSON.stringify({ input }, null, 2) };
}

/** The Verifa scenario whose timeline the timeline tab shows: it moves on by itself, by webhooks, in three steps. */
const TIMELINE_SCENARIO = 'ses_timeline';

/**
 * A tab on the session timeline (`Session.events`, `Query.sessionEvents`) of Verifa's timed scenario, when Verifa is
 * sandboxed: run it, run it again a few seconds later, and each change shows up with where it was learnt.
 */
export function timelineOperation(sandboxed: readonly Provider[]): ExampleOperation | null {
  const verifa = providerModules().find((m) => m.provider === 'VERIFA');
  if (!sandboxed.includes('VERIFA') || !verifa?.scenarios?.some((s) => s.id === TIMELINE_SCENARIO)) return null;
  const lines = [
    ...comment(`The session timeline: every change Verigate observed, kept in its own store. Run this, then again
      every few seconds: ${TIMELINE_SCENARIO} starts when first read and moves on by webhooks (IN_PROGRESS, then
      IN_REVIEW, then APPROVED); each step shows up in events with where it was learnt (QUERY, WEBHOOK).
      sessionEvents is the feed of every session, newest first.`),
    'query SessionTimeline($id: String!) {',
    '  session(provider: VERIFA, id: $id) {',
    '    status',
    '    events(first: 20) {',
    '      edges {',
    '        node {',
    '          sequence',
    '          at',
    '          source',
    '          previousStatus',
    '          status',
    '          providerStatus',
    '          reasonCode',
    '          userAction',
    '          declineCategories',
    '        }',
    '      }',
    '      pageInfo {',
    '        hasNextPage',
    '        endCursor',
    '      }',
    '    }',
    '  }',
    '  sessionEvents(first: 10) {',
    '    edges {',
    '      node {',
    '        at',
    '        provider',
    '        providerSessionId',
    '        source',
    '        status',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ];
  return {
    name: 'SessionTimeline',
    query: lines.join('\n'),
    variables: JSON.stringify({ id: TIMELINE_SCENARIO }, null, 2),
  };
}

/**
 * The playground's example tabs: first the timeline of Verifa's timed scenario (what happened to a session, and
 * when), then the providers overview, one session query per sandboxed provider, built from that provider's own
 * scenario catalogue so that ids never drift from what the simulators serve, a verification started on the sandbox, and
 * a subscription on a timed scenario.
 */
export function exampleOperations(sandboxed: readonly Provider[]): ExampleOperation[] {
  const timeline = timelineOperation(sandboxed);
  const tabs = timeline ? [timeline, PROVIDERS_OPERATION] : [PROVIDERS_OPERATION];
  for (const module of providerModules()) {
    if (!sandboxed.includes(module.provider)) continue;
    const tab = sessionOperation(module.provider, module.scenarios ?? []);
    if (tab) tabs.push(tab);
  }
  const start = startOperation(sandboxed);
  if (start) tabs.push(start);
  const watch = watchOperation(sandboxed);
  if (watch) tabs.push(watch);
  return tabs;
}
