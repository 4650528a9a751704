/**
 * Persona's documented example, a `passed` government-id verification: github.com/persona-id/persona-openapi
 * `2025-12-08/components/examples/verification-government-id-passed.yaml` (commit a1526b5), its `value` as JSON.
 */
export const PERSONA_GOVERNMENT_ID_PASSED = {
  data: {
    type: 'verification/government-id',
    id: 'ver_ABC123',
    attributes: {
      status: 'passed',
      'created-at': '2024-03-20T21:22:25.000Z',
      'created-at-ts': 1710969745,
      'submitted-at': '2024-03-20T21:22:25.000Z',
      'submitted-at-ts': 1710969745,
      'completed-at': '2024-03-20T21:22:31.000Z',
      'completed-at-ts': 1710969751,
      'country-code': 'US',
      checks: [],
      'entity-confidence-score': 96.1831512451172,
      'entity-confidence-reasons': ['generic'],
      'front-photo-url': 'https://files.withpersona.com/id-front.jpg?access_token=ACCESS_TOKEN',
      'back-photo-url': null,
      'photo-urls': [
        {
          page: 'front',
          url: 'https://files.withpersona.com/id-front.jpg?access_token=ACCESS_TOKEN',
          'normalized-url': 'https://files.withpersona.com/id-front.jpg?access_token=ACCESS_TOKEN',
          'original-urls': ['https://files.withpersona.com/id-front.jpg?access_token=ACCESS_TOKEN'],
          'byte-size': 2849115,
          filename: 'id-front.jpg',
        },
      ],
      'selfie-photo': {
        url: 'https://files.withpersona.com/selfie-photo.jpg?access_token=ACCESS_TOKEN',
        'byte-size': 201105,
        filename: 'selfie-photo.jpg',
      },
      'selfie-photo-url': 'https://files.withpersona.com/selfie-photo.jpg?access_token=ACCESS_TOKEN',
      'video-url': null,
      'id-class': 'dl',
      'capture-method': 'upload',
      'name-first': 'JANE',
      'name-middle': null,
      'name-last': 'DOE',
      'native-name-first': '三',
      'native-name-middle': null,
      'native-name-last': '张',
      'native-name-title': null,
      'name-suffix': null,
      birthdate: '1990-01-01',
      'address-street-1': '123 MAIN ST',
      'address-street-2': null,
      'address-city': 'SAN FRANCISCO',
      'address-subdivision': 'CA',
      'address-postal-code': '94111',
      'issuing-authority': null,
      'issuing-subdivision': 'CA',
      nationality: null,
      'document-number': null,
      'visa-status': null,
      'issue-date': '2020-07-28',
      'expiration-date': '2025-01-01',
      designations: [],
      birthplace: null,
      endorsements: null,
      height: null,
      sex: null,
      restrictions: null,
      'vehicle-class': null,
      'identification-number': 'Y123ABC',
      'from-reusable-persona': false,
    },
    relationships: {
      inquiry: {
        data: {
          type: 'inquiry',
          id: 'inq_ABC123',
        },
      },
      template: {
        data: null,
      },
      'inquiry-template-version': {
        data: {
          type: 'inquiry-template-version',
          id: 'itmplv_ABC123',
        },
      },
      'inquiry-template': {
        data: {
          type: 'inquiry-template',
          id: 'itmpl_ABC123',
        },
      },
      transaction: {
        data: null,
      },
      'verification-template': {
        data: {
          type: 'verification-template/government-id',
          id: 'vtmpl_ABC123',
        },
      },
      'verification-template-version': {
        data: {
          type: 'verification-template-version/government-id',
          id: 'vtmplv_ABC123',
        },
      },
      document: {
        data: {
          type: 'document/government-id',
          id: 'doc_ABC123',
        },
      },
    },
  },
};
