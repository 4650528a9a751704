import { declineCategoriesOf, sessionUserAction, userActionFor } from '../model/declines.ts';
import type { Session } from '../model/session.ts';
import type { Observation, SessionEventSource } from './store.ts';

/**
 * What one fresh load of a session offers the timeline: the vendor's own dated history (`Session.history`), oldest
 * first, as `PROVIDER` observations, then the state `source` saw at `at`. The store appends each in order only if it
 * is a change, and the rule for the vendor's history is:
 *
 * - a history item is appended at most once: its `vendorEventId` is recorded with it, and an id already recorded
 *   for the session is skipped (a re-read, another replica);
 * - only in time order: an item older than the session's latest entry is skipped (EventStore.append checks it in the
 *   same statement), since the timeline is append-only and gap-free and an earlier change cannot be slotted in. On a
 *   session's first observation the whole history goes in; later, only what the vendor reports since;
 * - the observed state comes last, and is no entry when the last history item already recorded it.
 *
 * A history item in the observed state carries its reason code, next step and decline categories (it may be the entry
 * that records that state); the others have none (their next step is their status's alone), and none carries personal data (no reviewer, no comment). History items are not redacted: the
 * vendors that report a history change no status once they have redacted a session, so the redaction is the
 * observed state's own entry, after them.
 */
export function observationsOf(session: Session, source: SessionEventSource, at: string): Observation[] {
  const observed: Observation = {
    provider: session.provider,
    providerSessionId: session.providerSessionId,
    at,
    source,
    status: session.status,
    providerStatus: session.providerStatus,
    reasonCode: session.reasonCode,
    redacted: session.sensitiveDataExpired,
    vendorEventId: null,
    userAction: sessionUserAction(session),
    declineCategories: declineCategoriesOf(session),
  };
  const history = (session.history ?? []).map((item): Observation => {
    const current = item.status === session.status && item.providerStatus === session.providerStatus;
    return {
      ...observed,
      at: item.at,
      source: 'PROVIDER',
      status: item.status,
      providerStatus: item.providerStatus,
      reasonCode: current ? observed.reasonCode : null,
      redacted: false,
      vendorEventId: item.vendorEventId,
      // An earlier state's history says only its status: the next step that implied, without reasons.
      userAction: current ? observed.userAction : userActionFor(item.status, []),
      declineCategories: current ? observed.declineCategories : [],
    };
  });
  return [...history, observed];
}
