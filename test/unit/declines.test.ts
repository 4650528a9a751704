import { describe, expect, it } from 'vitest';
import { userActionFor } from '../../src/model/declines.ts';
import { type DeclineTable, declineReasons } from '../../src/providers/declines.ts';

const table: DeclineTable = {
  provider: 'SUMSUB',
  field: 'rejectLabels',
  source: 'test',
  rows: [
    { code: 'EXPIRATION_DATE', category: 'DOCUMENT_EXPIRED' },
    { code: 'BAD_FACE_MATCHING', category: 'FACE_MISMATCH', retry: 'SAME_SESSION' },
    { code: 'SANCTIONS', category: 'SANCTIONS_MATCH', retry: 'NONE' },
  ],
};

describe('declineReasons', () => {
  it('orders by severity group, keeps the vendor order within one, and maps an unknown code to OTHER', () => {
    const reasons = declineReasons([
      { table, code: 'NEW_LABEL' },
      { table, code: 'EXPIRATION_DATE', userMessage: 'Your document has expired.' },
      { table, code: 'SANCTIONS' },
      { table, code: 'BAD_FACE_MATCHING' },
      { table, code: 'SANCTIONS' },
    ]);
    expect(reasons).toEqual([
      {
        category: 'SANCTIONS_MATCH',
        retryable: false,
        retryScope: 'NONE',
        vendorSignal: true,
        providerCode: 'SANCTIONS',
        userMessage: null,
      },
      {
        category: 'FACE_MISMATCH',
        retryable: true,
        retryScope: 'SAME_SESSION',
        vendorSignal: true,
        providerCode: 'BAD_FACE_MATCHING',
        userMessage: null,
      },
      {
        category: 'DOCUMENT_EXPIRED',
        retryable: true,
        retryScope: 'NEW_SESSION',
        vendorSignal: false,
        providerCode: 'EXPIRATION_DATE',
        userMessage: 'Your document has expired.',
      },
      {
        category: 'OTHER',
        retryable: false,
        retryScope: 'NONE',
        vendorSignal: false,
        providerCode: 'NEW_LABEL',
        userMessage: null,
      },
    ]);
  });

  it('lets the session-level vendor signal win over the list and the category default', () => {
    const [reason] = declineReasons([{ table, code: 'EXPIRATION_DATE', retry: 'NONE' }]);
    expect(reason).toMatchObject({ retryable: false, retryScope: 'NONE', vendorSignal: true });
  });
});

describe('userActionFor', () => {
  const retrySame = declineReasons([{ table, code: 'BAD_FACE_MATCHING' }]);
  const final = declineReasons([{ table, code: 'SANCTIONS' }]);
  const newSession = declineReasons([{ table, code: 'EXPIRATION_DATE' }]);
  it.each([
    ['APPROVED', [], null, 'NONE'],
    ['IN_REVIEW', final, null, 'WAIT'],
    ['IN_PROGRESS', [], 'VENDOR', 'WAIT'],
    ['IN_PROGRESS', [], 'USER', 'CONTINUE'],
    ['IN_PROGRESS', [], null, 'CONTINUE'],
    ['NOT_STARTED', [], null, 'CONTINUE'],
    ['RESUBMISSION_REQUESTED', newSession, null, 'RETRY'],
    ['DECLINED', retrySame, null, 'RETRY'],
    ['DECLINED', newSession, null, 'START_OVER'],
    ['DECLINED', final, null, 'CONTACT_SUPPORT'],
    ['DECLINED', [], null, 'CONTACT_SUPPORT'],
    ['EXPIRED', [], null, 'START_OVER'],
    ['ABANDONED', newSession, null, 'START_OVER'],
    ['ERROR', [], null, 'START_OVER'],
  ] as const)('%s with %j (turn %s) → %s', (status, reasons, turn, action) => {
    expect(userActionFor(status, reasons, turn)).toBe(action);
  });
});
