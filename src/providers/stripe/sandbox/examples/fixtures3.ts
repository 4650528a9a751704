/** Plain JSON objects, as Stripe publishes them. */
type StripeObject = Record<string, unknown>;

/**
 * Stripe's documented example objects (stripe/openapi `openapi/fixtures3.json`: `identity.verification_session` and
 * `identity.verification_report`), ids and values as published, but paired: the published session's
 * `last_verification_report` is another report's id (`vr_QXhW13B2hsHOm43JtUgs0f0w`); here it is this report, so that
 * `expand[]` has something to expand.
 */
export const FIXTURE_SESSION_ID = 'vs_1Pgc76B7WZ01zgkWBdQi8PTU';
export const FIXTURE_REPORT: StripeObject = {
  client_reference_id: null,
  created: 1234567890,
  document: {
    address: {
      city: 'San Francisco',
      country: 'US',
      line1: '1234 Main St.',
      state: 'CA',
      line2: null,
      postal_code: null,
    },
    error: { code: null, reason: null },
    expiration_date: { day: 1, month: 12, year: 2030 },
    files: ['file_QXhWG300bR0L1WbLXBqG1wQc', 'file_QXhWi7GgxZg2M3XqN2Y0P4Q2'],
    first_name: 'Jenny',
    issued_date: { day: 1, month: 12, year: 2020 },
    issuing_country: 'US',
    last_name: 'Rosen',
    status: 'verified',
    type: 'driving_license',
  },
  id: 'vr_1Pgc76B7WZ01zgkWq9Rp33Dj',
  livemode: false,
  object: 'identity.verification_report',
  options: { document: {}, id_number: {} },
  type: 'document',
  verification_session: 'vs_1Pgc76B7WZ01zgkW1uXbT3Y9',
};
export const FIXTURE_SESSION: StripeObject = {
  client_reference_id: null,
  client_secret: null,
  created: 1234567890,
  id: FIXTURE_SESSION_ID,
  last_error: { code: null, reason: null },
  last_verification_report: FIXTURE_REPORT,
  livemode: false,
  metadata: {},
  object: 'identity.verification_session',
  options: { document: { require_matching_selfie: true } },
  redaction: { status: 'processing' },
  status: 'verified',
  type: 'document',
  url: null,
  related_customer: null,
  related_customer_account: null,
};
