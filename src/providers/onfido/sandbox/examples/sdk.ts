/**
 * Onfido's own example outputs, as the official onfido-node SDK's tests show them (values unchanged):
 * - the document report a Studio document check task outputs: test/media/studio_webhook_event_with_object_in_output.json
 *   (`payload.resource.output`, workflow run b48fdff9-66a1-405d-9912-54780799bd68);
 * - the facial similarity photo report and the profile data capture: test/test-examples.ts
 *   (`exampleWorkflowRunOutputFacialSimilarityReport`, `exampleWorkflowRunOutputProfileDataCapture`).
 */

export const ONFIDO_SDK_DOCUMENT_REPORT: Record<string, unknown> = {
  status: 'complete',
  result: 'clear',
  sub_result: 'clear',
  uuid: '95c8cc09-db72-42ff-85ef-ee6c82020a24',
  properties: {
    date_of_birth: '1990-01-01',
    date_of_expiry: '2031-05-28',
    document_numbers: [{ type: 'document_number', value: '999999999' }],
    document_type: 'passport',
    first_name: 'Jane',
    issuing_country: 'GBR',
    last_name: 'Doe',
    document_number: '999999999',
  },
  breakdown: {
    data_validation: {
      result: 'clear',
      breakdown: {
        mrz: { result: 'clear', properties: {} },
        expiry_date: { result: 'clear', properties: {} },
        document_expiration: { result: 'clear', properties: {} },
        document_numbers: { result: 'clear', properties: {} },
        date_of_birth: { result: 'clear', properties: {} },
        gender: { result: 'clear', properties: {} },
      },
    },
    visual_authenticity: {
      result: 'clear',
      breakdown: {
        face_detection: { result: 'clear', properties: {} },
        other: { result: 'clear', properties: {} },
        digital_tampering: { result: 'clear', properties: {} },
        original_document_present: { result: 'clear', properties: {} },
        security_features: { result: 'clear', properties: {} },
        template: { result: 'clear', properties: {} },
        picture_face_integrity: { result: 'clear', properties: {} },
        fonts: { result: 'clear', properties: {} },
      },
    },
    compromised_document: {
      result: 'clear',
      breakdown: {
        repeat_attempts: { result: 'clear', properties: {} },
        document_database: { result: 'clear', properties: {} },
      },
    },
    data_consistency: {
      result: 'clear',
      breakdown: {
        nationality: { result: 'clear', properties: {} },
        last_name: { result: 'clear', properties: {} },
        first_name: { result: 'clear', properties: {} },
        multiple_data_sources_present: { result: 'clear', properties: {} },
        gender: { result: 'clear', properties: {} },
        date_of_birth: { result: 'clear', properties: {} },
        document_type: { result: 'clear', properties: {} },
        issuing_country: { result: 'clear', properties: {} },
        document_numbers: { result: 'clear', properties: {} },
        date_of_expiry: { result: 'clear', properties: {} },
      },
    },
    data_comparison: {
      result: 'clear',
      breakdown: {
        date_of_birth: { result: 'clear', properties: {} },
        first_name: { result: 'clear', properties: {} },
        document_numbers: { result: 'clear', properties: {} },
        document_type: { result: 'clear', properties: {} },
        last_name: { result: 'clear', properties: {} },
        date_of_expiry: { result: 'clear', properties: {} },
        gender: { result: 'clear', properties: {} },
        issuing_country: { result: 'clear', properties: {} },
      },
    },
    image_integrity: {
      result: 'clear',
      breakdown: {
        colour_picture: { result: 'clear', properties: {} },
        supported_document: { result: 'clear', properties: {} },
        conclusive_document_quality: { result: 'clear', properties: {} },
        image_quality: { result: 'clear', properties: {} },
      },
    },
    police_record: {
      result: 'clear',
      breakdown: {
        'document_has_not_been_recorded_as_lost,_stolen_or_compromised': { result: 'clear', properties: {} },
      },
    },
    age_validation: { result: 'clear', breakdown: { minimum_accepted_age: { result: 'clear', properties: {} } } },
  },
  repeat_attempts: {
    report_id: '00000000-0000-0000-0000-000000000000',
    repeat_attempts: [],
    attempts_count: 1,
    attempts_clear_rate: 0,
    unique_mismatches_count: 0,
  },
};

export const ONFIDO_SDK_FACIAL_SIMILARITY_REPORT: Record<string, unknown> = {
  breakdown: {
    face_comparison: {
      breakdown: {
        face_match: {
          properties: { document_id: '0925205f-1af3-4874-8d14-f2d2a81fb75d', score: 0.6512 },
          result: 'clear',
        },
      },
      result: 'clear',
    },
    image_integrity: {
      breakdown: {
        face_detected: { properties: {}, result: 'clear' },
        source_integrity: { properties: {}, result: 'clear' },
      },
      result: 'clear',
    },
    visual_authenticity: {
      breakdown: { spoofing_detection: { properties: { score: 0.9512 }, result: 'clear' } },
      result: 'clear',
    },
  },
  properties: {},
  result: 'clear',
  status: 'complete',
  sub_result: null,
  uuid: '9cb47ea9-bc41-4e98-8005-51de3d8174b7',
};

export const ONFIDO_SDK_PROFILE_DATA: Record<string, unknown> = {
  address: {
    country: 'POL',
    line1: '770 Leatha Corners',
    line2: 'Reichel Mall',
    line3: 'Sherwood Drives',
    postcode: '38074',
    town: 'Keeblerview',
  },
  country_residence: 'TTO',
  dob: '1976-08-31',
  email: 'Toni14@yahoo.com',
  first_name: 'Lyric',
  last_name: 'Kihn',
  nationality: 'SWZ',
  phone_number: '+351930983797',
  phone_number_consent_granted: true,
};
