import { getDirective } from '@graphql-tools/utils';
import {
  type GraphQLField,
  type GraphQLObjectType,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { initials, maskList, maskValue } from '../src/graphql/pii.ts';
import { buildSchema } from '../src/graphql/schema.ts';
import { statusChangedBody } from '../src/outbound/outbox.ts';
import { piiFields } from './support/schemaWalk.ts';

/**
 * The privacy gate of the schema (DESIGN §4): every output field that can carry text (`String`, `ID`, `Date`, `JSON`)
 * is either masked with `@pii` or listed here as known not to be personal. A field someone adds without a mask fails
 * until it is masked or listed, with its reason, in review.
 */

/** Field names that are never personal, on whichever type they appear. */
const NEVER_PERSONAL_NAMES = new Set(['nodeId', 'providerStatus', 'cursor', 'endCursor']);

/** `Type.field`s known not to be personal, whose names do not look personal either. */
const NOT_PERSONAL = new Set([
  '_Service.sdl',
  'Address.city',
  'Address.country',
  'Address.state',
  'AmlHit.id',
  'AmlHit.positions',
  'AmlHit.topics',
  'Applicant.gender',
  'Applicant.nationality',
  'DatabaseCheck.issuingCountry',
  'DatabaseCheck.matchType',
  'DatabaseCheck.validationType',
  'DatabaseValidationResult.outcome',
  // startVerification: the SDK token is a secret kept out of every store (test/start.journey.e2e.test.ts), not personal
  // data; an attempt's code is an error code.
  'StartVerificationPayload.clientToken',
  'StartAttempt.code',
  // The vendor's decline code, and text the vendors document as meant for the person, with no personal data in it.
  'DeclineReason.providerCode',
  'DeclineReason.userMessage',
  'DatabaseValidationResult.serviceId',
  'DeviceInfo.brand',
  'DeviceInfo.browserFamily',
  'DeviceInfo.model',
  'DeviceInfo.osFamily',
  'DeviceInfo.platform',
  'DocumentCheck.documentSubtype',
  'EmailBreach.breachDate',
  'EmailBreach.domain',
  'IpInfo.country',
  'IpInfo.city',
  'IpInfo.countryCode',
  'IpInfo.isp',
  'IpInfo.organization',
  'IpInfo.state',
  'IpInfo.timeZone',
  'IpInfo.timeZoneOffset',
  'JourneyStop.action',
  'JourneyStop.detail',
  'JourneyStop.source',
  'JourneyStop.type',
  'Kyc.confirmation',
  'Kyc.dateOfIssue',
  'Kyc.documentType',
  'Kyc.expirationDate',
  'Kyc.gender',
  'Kyc.issues',
  'Kyc.issuingCountry',
  'Kyc.issuingState',
  'Kyc.nationality',
  'Kyc.service',
  'LivenessCheck.method',
  'NfcCertificate.issuer',
  'NfcCertificate.subject',
  'NfcChip.documentType',
  'NfcChip.expirationDate',
  'NfcChip.gender',
  'NfcChip.issuingCountry',
  'NfcChip.nationality',
  'PhoneCheck.carrierType',
  'PhoneCheck.countryCode',
  'PhoneCheck.verificationMethod',
  'ProofOfAddressCheck.documentLanguage',
  'ProofOfAddressCheck.documentSubtype',
  'ProofOfAddressCheck.documentType',
  'ProofOfAddressCheck.expirationDate',
  'ProofOfAddressCheck.issueDate',
  'ProofOfAddressCheck.issuer',
  'ProofOfAddressCheck.issuingCountry',
  'Session.id',
  'Session.providerSessionId',
  'Session.reasonCode',
  'Session.reasonDescription',
  'SessionEvent.providerSessionId',
  'SessionEvent.reasonCode',
  'Warning.feature',
  'Warning.logType',
  'Warning.longDescription',
  'Warning.risk',
  'Warning.shortDescription',
  'WebhookDelivery.endpoint',
  'WebhookDelivery.eventType',
  'WebhookDelivery.id',
  'WebhookDelivery.providerSessionId',
]);

/** A field named like this is personal unless `NAMED_LIKE_PERSONAL_BUT_NOT` says why not. */
const PERSONAL_NAME =
  /name|birth|dob|address|street|postal|zip|email|phone|mobile|number|ssn|tax|image|photo|video|selfie|portrait|signature|file|url|fingerprint|metadata|data|raw|comment|note|^user$|username|userId|reviewer|reference|place/i;

/** Fields named like personal data that are not, and why. */
const NAMED_LIKE_PERSONAL_BUT_NOT = new Map([
  ['AmlHit.datasets', 'the lists the entry comes from'],
  [
    'StartVerificationPayload.hostedUrl',
    'a bearer link the vendor minted for the caller, answered only to the credential that started it and treated as a secret (never cached, logged, stored or pushed: test/start.journey.e2e.test.ts), not personal data',
  ],
  ['EmailBreach.name', 'the breached service’s name'],
  ['EmailBreach.dataClasses', 'kinds of data leaked (`passwords`), not the data'],
  ['DatabaseValidationResult.serviceName', 'the registry’s name'],
  ['DatabaseValidationResult.fullNameMatch', 'a verdict (`full_match`), not the name'],
  ['DatabaseValidationResult.dateOfBirthMatch', 'a verdict, not the date'],
  ['DatabaseValidationResult.identificationNumberMatch', 'a verdict, not the number'],
  ['Kyc.issuingCountryName', 'a country’s name'],
  ['PhoneCheck.countryName', 'a country’s name'],
  ['PhoneCheck.carrierName', 'the phone carrier’s name'],
  ['NfcCertificate.serialNumber', 'the signing certificate’s serial, issued by a state authority'],
  ['Session.reference', 'the caller’s own reference for the session, set by the caller when it created it'],
]);

const TEXT_SCALARS = new Set(['String', 'ID', 'Date', 'JSON']);

const schema = buildSchema();
const PII = piiFields(schema);

/** `Type.field` of every output field carrying text, with its field. */
function textFields(): Array<[string, GraphQLField<unknown, unknown>]> {
  const out: Array<[string, GraphQLField<unknown, unknown>]> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (TEXT_SCALARS.has(getNamedType(field.type).name)) out.push([`${type.name}.${field.name}`, field]);
    }
  }
  return out;
}

function allowed(key: string, name: string): boolean {
  if (NAMED_LIKE_PERSONAL_BUT_NOT.has(key)) return true;
  if (PERSONAL_NAME.test(name)) return false;
  return NEVER_PERSONAL_NAMES.has(name) || NOT_PERSONAL.has(key);
}

describe('the schema masks every field that can hold personal data', () => {
  it('every String, ID, Date and JSON field is masked with @pii or known not to be personal', () => {
    const unmasked = textFields()
      .filter(([key, field]) => !PII.has(key) && !allowed(key, field.name))
      .map(([key]) => key);
    expect(unmasked, 'add @pii(mask: …) to these fields, or list them in test/pii.schema.test.ts with why').toEqual([]);
  });

  it('no field named like personal data is left unmasked without a reason', () => {
    const named = textFields()
      .filter(
        ([key, field]) => PERSONAL_NAME.test(field.name) && !PII.has(key) && !NAMED_LIKE_PERSONAL_BUT_NOT.has(key),
      )
      .map(([key]) => key);
    expect(named).toEqual([]);
  });

  it('every JSON field, a raw vendor output, is null without pii:read', () => {
    const json = textFields().filter(([, field]) => getNamedType(field.type).name === 'JSON');
    expect(json.map(([key]) => key)).toEqual(expect.arrayContaining(['Session.metadata', 'Warning.additionalData']));
    for (const [key] of json) expect(PII.get(key), key).toBe('REDACT');
  });

  it('names, the applicant’s and watch-listed people’s, are masked to initials; places of birth and reviewers are null', () => {
    const marks = Object.fromEntries(
      [
        'Applicant.firstName',
        'Applicant.lastName',
        'Applicant.fullName',
        'Kyc.firstName',
        'Kyc.middleName',
        'Kyc.lastName',
        'Kyc.fullName',
        'NfcChip.firstName',
        'NfcChip.lastName',
        'ProofOfAddressCheck.nameOnDocument',
        'Kyc.placeOfBirth',
        'NfcChip.placeOfBirth',
        'Review.user',
        'Review.comment',
        'AmlHit.caption',
        'AmlHit.names',
        'AmlHit.aliases',
      ].map((key) => [key, PII.get(key)]),
    );
    expect(marks).toEqual({
      'Applicant.firstName': 'INITIALS',
      'Applicant.lastName': 'INITIALS',
      'Applicant.fullName': 'INITIALS',
      'Kyc.firstName': 'INITIALS',
      'Kyc.middleName': 'INITIALS',
      'Kyc.lastName': 'INITIALS',
      'Kyc.fullName': 'INITIALS',
      'NfcChip.firstName': 'INITIALS',
      'NfcChip.lastName': 'INITIALS',
      'ProofOfAddressCheck.nameOnDocument': 'INITIALS',
      'Kyc.placeOfBirth': 'REDACT',
      'NfcChip.placeOfBirth': 'REDACT',
      'Review.user': 'REDACT',
      'Review.comment': 'REDACT',
      'AmlHit.caption': 'INITIALS',
      'AmlHit.names': 'INITIALS',
      'AmlHit.aliases': 'INITIALS',
    });
  });

  it('masks only fields that can be masked: a non-null scalar cannot be null, and only strings have initials', () => {
    for (const [key, mask] of PII) {
      const [type, name] = key.split('.') as [string, string];
      const field = (schema.getType(type) as GraphQLObjectType).getFields()[name] as GraphQLField<unknown, unknown>;
      const nullable = isNonNullType(field.type) ? field.type.ofType : field.type;
      if (!isListType(nullable)) expect(isNonNullType(field.type), `${key} is non-null`).toBe(false);
      if (mask !== 'REDACT') expect(getNamedType(field.type).name, `${key} masked ${mask}`).toBe('String');
    }
  });

  it('the lists name only fields that exist, so a removed field leaves no stale exception', () => {
    const keys = new Set(textFields().map(([key]) => key));
    const listed = [...NOT_PERSONAL, ...NAMED_LIKE_PERSONAL_BUT_NOT.keys()];
    expect(listed.filter((key) => !keys.has(key))).toEqual([]);
  });

  it('the mask directive applies to every field it marks, whichever type', () => {
    for (const [key] of PII) {
      const [type, name] = key.split('.') as [string, string];
      const object = schema.getType(type);
      if (!isObjectType(object)) throw new Error(key);
      expect(getDirective(schema, object.getFields()[name] as GraphQLField<unknown, unknown>, 'pii')).toHaveLength(1);
    }
  });
});

describe('initials', () => {
  it.each([
    ['Sam Kim', 'S. K.'],
    ['JANE SAMPLE', 'J. S.'],
    ['jean-luc  Picard', 'J.-L. P.'],
    ['Łukasz Żółć', 'Ł. Ż.'],
    ['Anna', 'A.'],
    ['  ', null],
    ['- 1', null],
  ])('%j → %j', (name, expected) => {
    expect(initials(name)).toBe(expected);
    expect(maskValue(name, 'INITIALS')).toBe(expected);
  });

  it('a JSON value is null under any mask', () => {
    expect(maskValue({ name: 'Sam Kim' }, 'REDACT')).toBeNull();
    expect(maskValue(['Sam'], 'INITIALS')).toBeNull();
    expect(maskValue([], 'REDACT')).toBeNull();
  });

  it('a list of names is masked item by item', () => {
    expect(maskList(['Kozlov Sergey', 'Козлов Сергей', '-'], 'INITIALS')).toEqual(['K. S.', 'К. С.']);
    expect(maskList(['a note'], 'REDACT')).toEqual([]);
  });
});

describe('outbound events carry no personal data', () => {
  it('the status_changed body holds statuses and ids only', () => {
    const body = JSON.parse(
      statusChangedBody(
        {
          provider: 'VERIFA',
          providerSessionId: 'ses_abc123',
          sequence: 1,
          at: '2026-01-01T00:00:00.000Z',
          source: 'QUERY',
          status: 'IN_REVIEW',
          previousStatus: null,
          providerStatus: 'needs_review',
          reasonCode: null,
          redacted: false,
        } as Parameters<typeof statusChangedBody>[0],
        '2026-01-01T00:00:01.000Z',
      ),
    ) as { data: Record<string, unknown> };
    expect(Object.keys(body.data).filter((key) => PERSONAL_NAME.test(key))).toEqual([]);
  });
});
