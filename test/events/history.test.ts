import { afterEach, describe, expect, it } from 'vitest';
import { observationsOf } from '../../src/events/history.ts';
import { SqliteEventStore } from '../../src/events/sqlite/engine.ts';
import { Timeline } from '../../src/events/timeline.ts';
import type { Session, VendorHistoryItem, VerificationStatus } from '../../src/model/session.ts';

/** The vendor's history through the timeline, in front of a real (in-memory SQLite) store. */

const item = (status: VerificationStatus, providerStatus: string, at: string): VendorHistoryItem => ({
  at,
  status,
  providerStatus,
  vendorEventId: `didit:review:${at}`,
});

const session = (
  status: VerificationStatus,
  providerStatus: string,
  history: VendorHistoryItem[],
  reasonCode: string | null = null,
) =>
  ({
    provider: 'DIDIT',
    providerSessionId: 'ses_reviewed',
    status,
    providerStatus,
    reasonCode,
    sensitiveDataExpired: false,
    history,
  }) as unknown as Session;

describe('observationsOf', () => {
  it('puts the vendor’s history first, as PROVIDER, then the observed state; the reason code on its own state only', () => {
    const observed = session(
      'DECLINED',
      'Declined',
      [
        item('IN_REVIEW', 'In Review', '2026-03-02T10:05:00.000Z'),
        item('DECLINED', 'Declined', '2026-03-02T11:05:00.000Z'),
      ],
      'DOCUMENT_EXPIRED',
    );
    const common = { provider: 'DIDIT', providerSessionId: 'ses_reviewed', redacted: false };
    expect(observationsOf(observed, 'QUERY', '2026-03-03T00:00:00.000Z')).toEqual([
      {
        ...common,
        at: '2026-03-02T10:05:00.000Z',
        source: 'PROVIDER',
        status: 'IN_REVIEW',
        providerStatus: 'In Review',
        reasonCode: null,
        vendorEventId: 'didit:review:2026-03-02T10:05:00.000Z',
        userAction: 'WAIT',
        declineCategories: [],
      },
      {
        ...common,
        at: '2026-03-02T11:05:00.000Z',
        source: 'PROVIDER',
        status: 'DECLINED',
        providerStatus: 'Declined',
        reasonCode: 'DOCUMENT_EXPIRED',
        vendorEventId: 'didit:review:2026-03-02T11:05:00.000Z',
        // The observed state's own: this item may be the entry that records it.
        userAction: 'CONTACT_SUPPORT',
        declineCategories: [],
      },
      {
        ...common,
        at: '2026-03-03T00:00:00.000Z',
        source: 'QUERY',
        status: 'DECLINED',
        providerStatus: 'Declined',
        reasonCode: 'DOCUMENT_EXPIRED',
        vendorEventId: null,
        userAction: 'CONTACT_SUPPORT',
        declineCategories: [],
      },
    ]);
  });

  it('is the observed state alone where the vendor reports no history', () => {
    const observed = { ...session('APPROVED', 'Approved', []), history: undefined } as Session;
    expect(observationsOf(observed, 'POLL', '2026-03-03T00:00:00.000Z').map((o) => o.source)).toEqual(['POLL']);
  });
});

describe('Timeline with the vendor’s history', () => {
  let store: SqliteEventStore;
  afterEach(() => store.close());

  it('records the history on the first observation, then only what the vendor reports since', async () => {
    store = SqliteEventStore.open(':memory:');
    const timeline = new Timeline(store, { maxBatch: 2 }); // batches split a session's history: order holds across
    const reviewed = item('IN_REVIEW', 'In Review', '2026-03-02T10:05:00.000Z');
    timeline.observe(session('IN_REVIEW', 'In Review', [reviewed]), 'QUERY');
    timeline.observe(session('IN_REVIEW', 'In Review', [reviewed]), 'QUERY'); // unchanged: nothing
    await timeline.flush();
    const approved = item('APPROVED', 'Approved', '2026-03-02T11:05:00.000Z');
    timeline.observe(session('APPROVED', 'Approved', [reviewed, approved]), 'WEBHOOK');
    await timeline.flush();
    // A reviewer overturns it, and Verigate hears of it before the vendor's history shows the review.
    timeline.observe(session('DECLINED', 'Declined', [reviewed, approved]), 'POLL');
    await timeline.flush();
    const entries = await store.sessionEvents({ provider: 'DIDIT', id: 'ses_reviewed' }, 0, 10);
    expect(entries.map((e) => [e.sequence, e.source, e.previousStatus, e.status, e.vendorEventId])).toEqual([
      [1, 'PROVIDER', null, 'IN_REVIEW', 'didit:review:2026-03-02T10:05:00.000Z'],
      [2, 'PROVIDER', 'IN_REVIEW', 'APPROVED', 'didit:review:2026-03-02T11:05:00.000Z'],
      [3, 'POLL', 'APPROVED', 'DECLINED', null],
    ]);
  });
});
