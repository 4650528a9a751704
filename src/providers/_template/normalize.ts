import { type Applicant, type Kyc, noParts, type Session } from '../../model/session.ts';
import { allNull, calendarDate, instant, joinName, text } from '../../model/values.ts';
import { isTerminal, mapStatus } from '../status.ts';
import { TEMPLATE_PROVIDER } from './config.ts';
import type { TemplateCheck } from './payload.ts';
import { templateCheckStatus } from './status.ts';

/** A check in the unified shape: dates as `YYYY-MM-DD`, instants as ISO UTC, empty strings null, absent parts null. */
export function normalizeTemplateCheck(check: TemplateCheck, sandbox: boolean): Session {
  const status = mapStatus(templateCheckStatus, check.status);
  const person = check.person ?? null;
  const doc = check.document ?? null;
  const applicant: Applicant = {
    firstName: text(person?.first_name),
    lastName: text(person?.last_name),
    fullName: joinName(person?.first_name, person?.last_name),
    dateOfBirth: calendarDate(person?.date_of_birth),
    email: null,
    phone: null,
    nationality: null,
    gender: null,
    address: null,
  };
  const kyc: Kyc = {
    status: null,
    providerStatus: null,
    documentType: text(doc?.type),
    documentNumber: text(doc?.number),
    personalNumber: null,
    issuingCountry: text(doc?.country),
    issuingCountryName: null,
    issuingState: null,
    dateOfIssue: null,
    expirationDate: calendarDate(doc?.expires_on),
    firstName: applicant.firstName,
    middleName: null,
    lastName: applicant.lastName,
    fullName: applicant.fullName,
    dateOfBirth: applicant.dateOfBirth,
    age: null,
    gender: null,
    nationality: null,
    placeOfBirth: null,
    address: null,
    nfcVerified: null,
    service: null,
    confirmation: null,
    issues: [],
    images: null,
  };
  return {
    provider: TEMPLATE_PROVIDER,
    providerSessionId: check.id,
    status,
    providerStatus: check.status,
    isTerminal: isTerminal(status),
    reasonCode: text(check.reason),
    reasonDescription: null,
    createdAt: instant(check.created_at),
    sandbox,
    sensitiveDataExpired: false,
    ...noParts(),
    applicant: allNull(applicant) ? null : applicant,
    kyc: doc === null ? null : kyc,
    reference: null,
    metadata: null,
  };
}
