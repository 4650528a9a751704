/**
 * Persona's documented example, a `ready` watchlist report without a match: github.com/persona-id/persona-openapi
 * `2025-12-08/components/examples/report-watchlist.yaml` (commit a1526b5), its `value` as JSON.
 */
export const PERSONA_REPORT_WATCHLIST = {
  data: {
    type: 'report/watchlist',
    id: 'rep_ARR4XUoYJRgQd7VMVaGEY2Gc',
    attributes: {
      status: 'ready',
      'created-at': '2023-06-07T14:12:16.000Z',
      'completed-at': '2023-06-07T14:12:16.000Z',
      'redacted-at': null,
      'report-template-version-name': 'v1',
      'has-match': false,
      'is-continuous': false,
      tags: [],
      'name-first': 'Jane',
      'name-middle': null,
      'name-last': 'Doe',
      term: 'Jane Doe',
      birthdate: null,
      'country-code': null,
      'matched-lists': [],
      'ignore-list': [],
    },
    relationships: {
      inquiry: {
        data: null,
      },
      account: {
        data: {
          type: 'account',
          id: 'act_rD4wFHtwhkgbpy2pc3o2G94a',
        },
      },
      transaction: {
        data: null,
      },
      'report-template': {
        data: {
          type: 'report-template/watchlist',
          id: 'rptp_2t2xwqxPDE1gw8DtYVFB9Vua',
        },
      },
    },
  },
};
