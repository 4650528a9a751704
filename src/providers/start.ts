/**
 * What `Mutation.startVerification` asks of one vendor (DESIGN §8 "Start a verification"): the adapter kit's optional
 * `ProviderAdapter.startSession`. Input has been validated (subjectRef, country, returnUrl, dates) before it gets here.
 */
export interface StartSessionRequest {
  /** The vendor's flow id (workflow, template, level, `document`…): the input's `flow` or `<PROVIDER>_DEFAULT_FLOW`. */
  flow: string;
  /** The caller's own user id (1–128 of `[A-Za-z0-9._:@-]`). */
  subjectRef: string;
  /** ISO 3166-1 alpha-2, upper case, or null. */
  country: string | null;
  prefill: StartPrefill | null;
  returnUrl: string | null;
  /** BCP 47, or null. */
  locale: string | null;
  /** Sent to vendors that take an idempotency key (Verifa, Persona, Stripe); derived per attempt by the caller. */
  idempotencyKey: string;
  /**
   * Two-step vendors (Onfido applicant → workflow run, Sumsub applicant → link, Persona inquiry → one-time link): the
   * first step's vendor id from an earlier attempt under this idempotency key, to resume from instead of creating
   * another; null on a first attempt.
   */
  resumeFrom: string | null;
  /** Two-step vendors call this with the first step's vendor id before the second call (it is stored durably). */
  checkpoint(firstStepId: string): Promise<void>;
}

export interface StartPrefill {
  givenName: string | null;
  familyName: string | null;
  /** `YYYY-MM-DD`. */
  dateOfBirth: string | null;
  email: string | null;
  /** E.164. */
  phone: string | null;
}

/** What the vendor issued. `hostedUrl` and `clientToken` are secrets: never cached, logged, stored or pushed. */
export interface StartedSession {
  /** The vendor's session id: what `session(provider:, id:)` takes. */
  providerSessionId: string;
  hostedUrl: string | null;
  clientToken: string | null;
  /** ISO-8601 UTC, when the vendor says the link or token lapses; null when it does not say. */
  expiresAt: string | null;
  /** The new session's status in the vendor's words, where its create answer says it (Didit `Not Started`). */
  providerStatus?: string;
}
