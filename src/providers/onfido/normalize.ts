import { z } from 'zod';
import { noChecks } from '../../model/checks.ts';
import { noParts, type Session, type Warning } from '../../model/session.ts';
import { instant, text } from '../../model/values.ts';
import { boundedJson } from '../../upstream/boundedJson.ts';
import { declinesPart } from '../declines.ts';
import { isTerminal, mapStatus } from '../status.ts';
import { onfidoDeclineReasons, onfidoTurn } from './declines.ts';
import { readOutput } from './output.ts';
import type { OnfidoWorkflowRun } from './payload.ts';
import {
  applicantOf,
  documentCheck,
  documentKyc,
  facialSimilarityChecks,
  facialSimilarityFace,
  watchlistAml,
  watchlistCheck,
} from './reports.ts';
import { onfidoWorkflowRunStatus } from './status.ts';

/** What the run's output holds beyond the reports Verigate maps: passed on in `metadata`, within bounds. */
const unmappedOutput = boundedJson('ONFIDO', 'output', z.unknown());

/**
 * An Onfido workflow run in the unified shape. The parts come from the reports in its output (the latest of each
 * kind; `checks` keeps every one, `nodeId` naming its output key); the run's identifiers, tags, reasons and the
 * rest of its output are `metadata`.
 */
export function normalizeOnfidoWorkflowRun(run: OnfidoWorkflowRun, sandbox: boolean): Session {
  const providerStatus = run.status ?? '';
  const status = mapStatus(onfidoWorkflowRunStatus, providerStatus);
  const output = readOutput(run.output);
  const documents = output.documents.map(documentCheck);
  const faces = output.faces.map(facialSimilarityChecks);
  const faceMatches = faces.flatMap((f) => (f.faceMatch ? [f.faceMatch] : []));
  const liveness = faces.flatMap((f) => (f.liveness ? [f.liveness] : []));
  const aml = output.watchlists.map(watchlistCheck);
  const document = output.documents.at(-1)?.report ?? null;
  const face = output.faces.at(-1)?.report ?? null;
  const watchlist = output.watchlists.at(-1)?.report ?? null;
  const warnings: Warning[] = [...documents, ...faceMatches, ...liveness, ...aml]
    .flatMap((c) => c.warnings)
    .map(({ nodeId: _, ...w }) => w);
  const firstReason = text(run.reasons?.find((r) => text(r) !== null));
  const failed = providerStatus === 'error';
  const turn = onfidoTurn(run.status);

  return {
    provider: 'ONFIDO',
    providerSessionId: run.id,
    status,
    providerStatus,
    isTerminal: isTerminal(status),
    // A run in `error` says why in `error.type`; `reasons` are the workflow's own words for its outcome.
    reasonCode: failed ? (text(run.error?.type) ?? firstReason) : firstReason,
    reasonDescription: failed ? text(run.error?.message) : null,
    createdAt: instant(run.created_at),
    sandbox,
    sensitiveDataExpired: false,
    ...noParts(),
    applicant: applicantOf(output.profiles.at(-1)?.report ?? null, document),
    kyc: document ? documentKyc(document) : null,
    face: face ? facialSimilarityFace(face) : null,
    aml: watchlist ? watchlistAml(watchlist) : null,
    warnings,
    checks: { ...noChecks().checks, documents, faceMatches, liveness, aml },
    reference: text(run.customer_user_id),
    metadata: {
      customer_user_id: text(run.customer_user_id),
      applicant_id: text(run.applicant_id),
      workflow_id: text(run.workflow_id),
      workflow_version_id: run.workflow_version_id ?? null,
      tags: run.tags ?? [],
      reasons: run.reasons ?? [],
      error: run.error ? { type: text(run.error.type), message: text(run.error.message) } : null,
      dashboard_url: text(run.dashboard_url),
      link_expires_at: instant(run.link?.expires_at),
      updated_at: instant(run.updated_at),
      output: unmappedOutput.parse(output.rest) ?? null,
    },
    ...declinesPart(onfidoDeclineReasons(run, output)),
    ...(turn ? { turn } : {}),
  };
}
