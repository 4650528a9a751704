/**
 * Persona's documented example, the `inquiry.approved` webhook body: github.com/persona-id/persona-openapi
 * `2025-12-08/components/examples/inquiry-approved-webhook-body.yaml` (commit a1526b5), its `value` as JSON.
 */
export const PERSONA_INQUIRY_APPROVED_EVENT = {
  data: {
    type: 'event',
    id: 'evt_hIjKlMnOpQrStUvWxYzAbCdE',
    attributes: {
      name: 'inquiry.approved',
      payload: {
        data: {
          type: 'inquiry',
          id: 'inq_kT4xVnR2bPmYwL9sTgD3cExZ',
          attributes: {
            status: 'approved',
            'reference-id': null,
            note: null,
            behaviors: {},
            tags: [],
            creator: 'creator@example.com',
            'reviewer-comment': null,
            'created-at': '2024-03-15T18:30:00.000Z',
            'updated-at': '2024-03-15T18:35:00.000Z',
            'started-at': '2024-03-15T18:31:00.000Z',
            'expires-at': null,
            'completed-at': null,
            'failed-at': null,
            'marked-for-review-at': null,
            'decisioned-at': '2024-03-15T18:35:00.000Z',
            'expired-at': null,
            'redacted-at': null,
            'previous-step-name': 'verification_selfie',
            'next-step-name': 'success',
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
                value: 'jane@example.com',
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
          },
          relationships: {
            account: {
              data: {
                type: 'account',
                id: 'act_fJ8mQpDLrYvNcBzWk5HsAxRy',
              },
            },
            template: {
              data: null,
            },
            'inquiry-template': {
              data: {
                type: 'inquiry-template',
                id: 'itmpl_AbN9KvR4LmT2WqYxPdHsZgFc',
              },
            },
            'inquiry-template-version': {
              data: {
                type: 'inquiry-template-version',
                id: 'itmplv_LqX3jYwK7HnRpZmCvBdF8RtA',
              },
            },
            transaction: {
              data: null,
            },
            reviewer: {
              data: {
                type: 'workflow-run',
                id: 'wfr_M7vXNqRpL3kBzW4tYcHdJgFs',
              },
            },
            reports: {
              data: [],
            },
            verifications: {
              data: [
                {
                  type: 'verification/government-id',
                  id: 'ver_X3kHmRqV9YpZ2nBwL5tGdJcE',
                },
              ],
            },
            sessions: {
              data: [
                {
                  type: 'inquiry-session',
                  id: 'iqse_NkPwRtQv5xB8cYm2L4jZdHsF',
                },
              ],
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
            type: 'inquiry-template',
            id: 'itmpl_AbN9KvR4LmT2WqYxPdHsZgFc',
            attributes: {
              status: 'active',
              name: 'Example KYC Template',
            },
            relationships: {
              'latest-published-version': {
                data: {
                  type: 'inquiry-template-version',
                  id: 'itmplv_LqX3jYwK7HnRpZmCvBdF8RtA',
                },
              },
            },
          },
          {
            type: 'inquiry-template-version',
            id: 'itmplv_LqX3jYwK7HnRpZmCvBdF8RtA',
            attributes: {
              status: 'published',
              'name-display': 'Example KYC Flow',
            },
            relationships: {
              'inquiry-template': {
                data: {
                  type: 'inquiry-template',
                  id: 'itmpl_AbN9KvR4LmT2WqYxPdHsZgFc',
                },
              },
            },
          },
          {
            type: 'inquiry-session',
            id: 'iqse_NkPwRtQv5xB8cYm2L4jZdHsF',
            attributes: {
              status: 'expired',
              'created-at': '2024-03-15T18:31:00.000Z',
              'started-at': '2024-03-15T18:31:00.000Z',
              'expired-at': '2024-03-15T18:35:00.000Z',
              'ip-address': '192.0.2.4',
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
              latitude: 37.7749,
              longitude: -122.4194,
            },
            relationships: {
              inquiry: {
                data: {
                  type: 'inquiry',
                  id: 'inq_kT4xVnR2bPmYwL9sTgD3cExZ',
                },
              },
            },
          },
        ],
      },
      'created-at': '2024-03-15T18:35:00.100Z',
    },
  },
};
