/**
 * The documented response of `POST /identity_verification/get` (plaid-openapi `2020-09-14.yml`, `example-1`), verbatim:
 * the simulator's scenarios are this payload with values changed.
 */
export const PLAID_IDENTITY_VERIFICATION_GET: Record<string, unknown> = {
  id: 'idv_52xR9LKo77r1Np',
  client_user_id: 'your-db-id-3b24110',
  created_at: '2020-07-24T03:26:02Z',
  completed_at: '2020-07-24T03:26:02Z',
  previous_attempt_id: 'idv_42cF1MNo42r9Xj',
  shareable_url:
    'https://flow.plaid.com/verify/idv_4FrXJvfQU3zGUR?key=e004115db797f7cc3083bff3167cba30644ef630fb46f5b086cde6cc3b86a36f',
  template: {
    id: 'idvtmp_4FrXJvfQU3zGUR',
    version: 2,
  },
  user: {
    phone_number: '+12345678909',
    date_of_birth: '1990-05-29',
    ip_address: '192.0.2.42',
    email_address: 'user@example.com',
    name: {
      given_name: 'Leslie',
      family_name: 'Knope',
    },
    address: {
      street: '123 Main St.',
      street2: 'Unit 42',
      city: 'Pawnee',
      region: 'IN',
      postal_code: '46001',
      country: 'US',
    },
    id_number: {
      value: '123456789',
      type: 'us_ssn',
    },
  },
  status: 'success',
  steps: {
    accept_tos: 'success',
    verify_sms: 'success',
    kyc_check: 'success',
    documentary_verification: 'success',
    selfie_check: 'success',
    watchlist_screening: 'success',
    risk_check: 'success',
  },
  documentary_verification: {
    status: 'success',
    documents: [
      {
        status: 'success',
        attempt: 1,
        images: {
          original_front: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/documents/1/original_front.jpeg',
          original_back: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/documents/1/original_back.jpeg',
          cropped_front: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/documents/1/cropped_front.jpeg',
          cropped_back: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/documents/1/cropped_back.jpeg',
          face: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/documents/1/face.jpeg',
        },
        extracted_data: {
          id_number: 'AB123456',
          category: 'drivers_license',
          expiration_date: '2030-05-29',
          issue_date: '2020-05-29',
          issuing_country: 'US',
          issuing_region: 'IN',
          date_of_birth: '1990-05-29',
          address: {
            street: '123 Main St. Unit 42',
            city: 'Pawnee',
            region: 'IN',
            postal_code: '46001',
            country: 'US',
          },
          name: {
            given_name: 'Leslie',
            family_name: 'Knope',
          },
        },
        analysis: {
          authenticity: 'match',
          image_quality: 'high',
          extracted_data: {
            name: 'match',
            date_of_birth: 'match',
            expiration_date: 'not_expired',
            issuing_country: 'match',
          },
          aamva_verification: {
            is_verified: true,
            id_number: 'match',
            id_issue_date: 'match',
            id_expiration_date: 'match',
            street: 'match',
            city: 'match',
            postal_code: 'match',
            date_of_birth: 'match',
            gender: 'match',
            height: 'match',
            eye_color: 'match',
            first_name: 'match',
            middle_name: 'match',
            last_name: 'match',
          },
          fraud_analysis_details: {
            type_supported: 'success',
            portrait_presence_check: 'success',
            portrait_details_check: 'success',
            image_composition_check: 'success',
            integrity_check: 'success',
            detail_check: 'success',
            issue_date_check: 'success',
          },
          image_quality_details: {
            glare_check: 'success',
            blur_check: 'success',
            dimensions_check: 'success',
          },
        },
        redacted_at: '2020-07-24T03:26:02Z',
      },
    ],
  },
  selfie_check: {
    status: 'success',
    selfies: [
      {
        status: 'success',
        attempt: 1,
        capture: {
          image_url: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/selfie/liveness.jpeg',
          video_url: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/selfie/liveness.webm',
        },
        analysis: {
          document_comparison: 'match',
          liveness_check: 'success',
        },
      },
    ],
  },
  kyc_check: {
    status: 'success',
    address: {
      summary: 'match',
      po_box: 'yes',
      type: 'residential',
    },
    name: {
      summary: 'match',
    },
    date_of_birth: {
      summary: 'match',
    },
    id_number: {
      summary: 'match',
    },
    phone_number: {
      summary: 'match',
      area_code: 'match',
    },
  },
  risk_check: {
    status: 'success',
    behavior: {
      user_interactions: 'risky',
      fraud_ring_detected: 'yes',
      bot_detected: 'yes',
    },
    email: {
      is_deliverable: 'yes',
      breach_count: 1,
      first_breached_at: '1990-05-29',
      last_breached_at: '1990-05-29',
      domain_registered_at: '1990-05-29',
      domain_is_free_provider: 'yes',
      domain_is_custom: 'yes',
      domain_is_disposable: 'yes',
      top_level_domain_is_suspicious: 'yes',
      is_edu: 'no_data',
      includes_date_of_birth: 'no_data',
      linked_services: ['apple'],
    },
    phone: {
      linked_services: ['apple'],
    },
    devices: [
      {
        ip_proxy_type: 'none_detected',
        ip_spam_list_count: 1,
        ip_timezone_offset: '+06:00:00',
      },
    ],
    identity_abuse_signals: {
      synthetic_identity: {
        score: 0,
      },
      stolen_identity: {
        score: 0,
      },
    },
    facial_duplicates: [
      {
        id: 'idv_52xR9LKo77r1Np',
        similarity: 95,
        matched_after_completed: true,
      },
    ],
    trust_index_score: 86,
  },
  verify_sms: {
    status: 'success',
    verifications: [
      {
        status: 'success',
        attempt: 1,
        phone_number: '+12345678909',
        delivery_attempt_count: 1,
        solve_attempt_count: 1,
        initially_sent_at: '2020-07-24T03:26:02Z',
        last_sent_at: '2020-07-24T03:26:02Z',
        redacted_at: '2020-07-24T03:26:02Z',
      },
    ],
  },
  watchlist_screening_id: 'scr_52xR9LKo77r1Np',
  beacon_user_id: 'becusr_42cF1MNo42r9Xj',
  user_id: 'usr_dddAs9ewdcDQQQ',
  redacted_at: '2020-07-24T03:26:02Z',
  latest_scored_protect_event: {
    event_id: 'ptevt_7AJYTMFxRUgJ',
    timestamp: '2020-07-24T03:26:02Z',
    trust_index: {
      score: 86,
      model: 'trust_index.2.0.0',
      subscores: {
        device_and_connection: {
          score: 87,
        },
        bank_account_insights: {
          score: 85,
        },
      },
    },
    fraud_attributes: {
      fraud_attributes: {
        'link_session.linked_bank_accounts.user_pi_matches_owners': true,
        'link_session.linked_bank_accounts.connected_apps.days_since_first_connection': 582,
        'session.challenged_with_mfa': false,
        'user.bank_accounts.num_of_frozen_or_restricted_accounts': 0,
        'user.linked_bank_accounts.num_family_names': 1,
        'user.linked_bank_accounts.num_of_connected_banks': 1,
        'user.link_sessions.days_since_first_link_session': 150,
        'user.pi.email.history_yrs': 7.03,
        'user.pi.email.num_social_networks_linked': 12,
        'user.pi.ssn.user_likely_has_better_ssn': false,
      },
    },
  },
  request_id: 'saKrIBuEB9qJZng',
};
