import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diditScenario } from '../src/providers/didit/sandbox/scenarios.ts';
import { FULL_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';

/** The personal fields Didit v3 brought, as a read-only key and a pii:read key see them. */
const QUERY = /* GraphQL */ `
  query P($id: String!) {
    session(provider: DIDIT, id: $id) {
      applicant { email phone }
      nfc { portraitImage signatureImage chip { documentNumber dateOfBirth address firstName } }
      proofOfAddress { documentFile nameOnDocument address { line1 line2 postalCode city formatted } }
      phoneVerification { phoneNumber countryCode }
      emailVerification { email breached }
      checks {
        liveness { referenceImage videoUrl score }
        faceMatches { sourceImage targetImage score }
        ip { deviceFingerprint location { ip { address country } } }
        documents { kyc { documentNumber dateOfBirth images { front } } }
      }
    }
  }
`;

const RAW = {
  applicant: { email: 'lucia.ortega@example.invalid', phone: '+34600111222' },
  nfc: {
    portraitImage: 'https://media.example.invalid/chip_portrait.jpg',
    signatureImage: 'https://media.example.invalid/chip_signature.jpg',
    chip: { documentNumber: 'XDC481516', dateOfBirth: '1988-05-14', address: null, firstName: 'LUCIA' },
  },
  proofOfAddress: {
    documentFile: 'https://media.example.invalid/utility_bill.pdf',
    nameOnDocument: 'Lucia Ortega Vidal',
    address: {
      line1: 'Calle Falsa 123',
      line2: 'Piso 2',
      postalCode: '46001',
      city: 'Valencia',
      formatted: 'Calle Falsa 123, Piso 2, 46001 Valencia, Spain',
    },
  },
  phoneVerification: { phoneNumber: '+34600111222', countryCode: 'ES' },
  emailVerification: { email: 'lucia.ortega@example.invalid', breached: true },
  checks: {
    liveness: [
      { referenceImage: 'https://media.example.invalid/selfie_1.jpg', videoUrl: null, score: 0.912 },
      {
        referenceImage: 'https://media.example.invalid/selfie_2.jpg',
        videoUrl: 'https://media.example.invalid/liveness_2.mp4',
        score: 0.971,
      },
    ],
    faceMatches: [
      {
        sourceImage: 'https://media.example.invalid/portrait.jpg',
        targetImage: 'https://media.example.invalid/selfie_2.jpg',
        score: 0.8804,
      },
    ],
    ip: [
      { deviceFingerprint: 'didit-fp-fake0001', location: { ip: { address: '203.0.113.45', country: 'Spain' } } },
      { deviceFingerprint: 'didit-fp-fake0001', location: { ip: { address: '198.51.100.7', country: 'Netherlands' } } },
    ],
    documents: [
      {
        kyc: {
          documentNumber: 'XDC481516',
          dateOfBirth: '1988-05-14',
          images: { front: 'https://media.example.invalid/front.jpg' },
        },
      },
      {
        kyc: {
          documentNumber: 'Y1234567Z',
          dateOfBirth: '1988-05-14',
          images: { front: 'https://media.example.invalid/permit_front.jpg' },
        },
      },
    ],
  },
};

const MASKED = {
  applicant: { email: 'l***@example.invalid', phone: '****1222' },
  nfc: {
    portraitImage: null,
    signatureImage: null,
    chip: { documentNumber: '****1516', dateOfBirth: null, address: null, firstName: 'L.' },
  },
  proofOfAddress: {
    documentFile: null,
    nameOnDocument: 'L. O. V.',
    address: { line1: null, line2: null, postalCode: null, city: 'Valencia', formatted: null },
  },
  phoneVerification: { phoneNumber: '****1222', countryCode: 'ES' },
  emailVerification: { email: 'l***@example.invalid', breached: true },
  checks: {
    liveness: [
      { referenceImage: null, videoUrl: null, score: 0.912 },
      { referenceImage: null, videoUrl: null, score: 0.971 },
    ],
    faceMatches: [{ sourceImage: null, targetImage: null, score: 0.8804 }],
    ip: [
      { deviceFingerprint: null, location: { ip: { address: null, country: 'Spain' } } },
      { deviceFingerprint: null, location: { ip: { address: null, country: 'Netherlands' } } },
    ],
    documents: [
      { kyc: { documentNumber: '****1516', dateOfBirth: null, images: { front: null } } },
      { kyc: { documentNumber: '****567Z', dateOfBirth: null, images: { front: null } } },
    ],
  },
};

describe('Didit v3 personal fields without pii:read', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());
  const id = diditScenario('multi-node').id;

  it('returns them raw to a key with pii:read', async () => {
    const { body } = await gw.query(QUERY, { id }, FULL_KEY);
    expect(body).toEqual({ data: { session: RAW } });
  });

  it('masks phone numbers to their last four, emails to their first letter, and nulls URLs, dates and addresses', async () => {
    const { body } = await gw.query(QUERY, { id }, READ_ONLY_KEY);
    expect(body).toEqual({ data: { session: MASKED } });
  });

  it('leaks none of them anywhere in the masked answer, in any scenario with them', async () => {
    for (const name of ['multi-node', 'official v3 example']) {
      const { body } = await gw.query(QUERY, { id: diditScenario(name).id }, READ_ONLY_KEY);
      const text = JSON.stringify(body);
      for (const raw of [
        '600111222',
        '5555550100',
        'lucia.ortega@',
        'testa@',
        'XDC48',
        'FAKE00001',
        'media.example.invalid',
        'didit-fp',
        '1988-05-14',
        '1990-05-15',
        '1 Fake Street',
        'Calle Falsa',
      ])
        expect(text, raw).not.toContain(raw);
    }
  });
});
