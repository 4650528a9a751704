/**
 * Persona's documented example, the same example in the 2023-01-05 shape: personal data also at the top of `attributes`: github.com/persona-id/persona-openapi
 * `2023-01-05/components/examples/inquiry-retrieve.yaml` (commit a1526b5), its `value` as JSON.
 */
export const PERSONA_INQUIRY_RETRIEVE_2023_01_05 = {
  data: {
    type: 'inquiry',
    id: 'inq_zEx4jL84ShbUyuwX6AzPSqt6',
    attributes: {
      status: 'pending',
      'reference-id': 'abc-123',
      note: null,
      behaviors: {},
      tags: [],
      creator: 'creator@withpersona.com',
      'reviewer-comment': null,
      'created-at': '2023-03-29T19:06:45.000Z',
      'started-at': '2023-03-30T19:07:01.000Z',
      'updated-at': '2023-03-30T19:07:01.000Z',
      'expires-at': '2023-03-31T19:07:01.000Z',
      'completed-at': null,
      'failed-at': null,
      'marked-for-review-at': null,
      'decisioned-at': null,
      'expired-at': null,
      'redacted-at': null,
      'previous-step-name': 'start',
      'next-step-name': 'verification_document',
      fields: {
        'name-first': {
          type: 'string',
          value: 'Jane',
        },
        'name-middle': {
          type: 'string',
          value: 'Marie',
        },
        'name-last': {
          type: 'string',
          value: 'Doe',
        },
        'address-street-1': {
          type: 'string',
          value: '123 Main St',
        },
        'address-street-2': {
          type: 'string',
          value: null,
        },
        'address-city': {
          type: 'string',
          value: 'San Francisco',
        },
        'address-subdivision': {
          type: 'string',
          value: 'California',
        },
        'address-postal-code': {
          type: 'string',
          value: '94111',
        },
        'address-country-code': {
          type: 'string',
          value: 'US',
        },
        birthdate: {
          type: 'date',
          value: '1995-09-08',
        },
        'email-address': {
          type: 'string',
          value: 'jane@doe.com',
        },
        'phone-number': {
          type: 'string',
          value: null,
        },
        'identification-number': {
          type: 'string',
          value: null,
        },
      },
      'name-first': 'Jane',
      'name-middle': 'Marie',
      'name-last': 'Doe',
      birthdate: '1995-09-08',
      'address-street-1': '123 Main St',
      'address-street-2': null,
      'address-city': 'San Francisco',
      'address-subdivision': 'California',
      'address-subdivision-abbr': 'CA',
      'address-postal-code': '94111',
      'address-postal-code-abbr': '94111',
      'social-security-number': null,
      'identification-number': null,
      'email-address': 'jane@doe.com',
      'phone-number': null,
    },
    relationships: {
      account: {
        data: {
          type: 'account',
          id: 'act_n2uq9eKMboaCQzu9ALWYcVdN',
        },
      },
      template: {
        data: {},
      },
      'inquiry-template': {
        data: {
          type: 'inquiry-template',
          id: 'itmpl_p8ANAJy9iqadm2buF2xcVgqH',
        },
      },
      'inquiry-template-version': {
        data: {
          type: 'inquiry-template-version',
          id: 'itmplv_iXhqfNWqwYLAWs9G8Fm8hPfo',
        },
      },
      reviewer: {
        data: {},
      },
      reports: {
        data: [],
      },
      verifications: {
        data: [
          {
            type: 'verification/database',
            id: 'ver_uHDiwtcx3htjajvEaeMjPQcE',
          },
        ],
      },
      sessions: {
        data: [],
      },
      documents: {
        data: [],
      },
      selfies: {
        data: [],
      },
    },
  },
  included: [
    {
      type: 'inquiry-session',
      id: 'iqse_ABC123',
      attributes: {
        status: 'expired',
        'created-at': '2023-07-25T04:15:20.000Z',
        'started-at': '2023-07-25T05:14:50.000Z',
        'expired-at': '2023-07-26T05:14:50.000Z',
        'ip-address': '127.0.0.1',
        'user-agent':
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/115.0.0.0 Safari/537.36',
        'os-name': 'Mac',
        'os-full-version': '10.15.7',
        'device-type': 'desktop',
        'device-name': null,
        'browser-name': 'Chrome',
        'browser-full-version': '115.0.0.0',
        'mobile-sdk-name': null,
        'mobile-sdk-full-version': null,
        'device-handoff-method': null,
        'is-proxy': false,
        'is-tor': false,
        'is-datacenter': false,
        'is-vpn': false,
        'threat-level': 'low',
        'country-code': 'US',
        'country-name': 'United States',
        'region-code': 'CA',
        'region-name': 'California',
        latitude: 37.7688,
        longitude: -122.262,
      },
      relationships: {
        inquiry: {
          data: {
            type: 'inquiry',
            id: 'inq_ABC123',
          },
        },
      },
    },
    {
      type: 'inquiry-template',
      id: 'itmpl_ABC123',
      attributes: {
        status: 'active',
        name: 'Twilio Desktop',
      },
      relationships: {
        'latest-published-version': {
          data: {
            type: 'inquiry-template-version',
            id: 'itmplv_ABC123',
          },
        },
      },
    },
  ],
};
