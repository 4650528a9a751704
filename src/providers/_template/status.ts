import type { StatusTable } from '../status.ts';
import { TEMPLATE_PROVIDER } from './config.ts';

/** The vendor's check `status` words and their unified status (published in docs/status-mapping.md once registered). */
export const templateCheckStatus: StatusTable = {
  provider: TEMPLATE_PROVIDER,
  field: 'check status',
  rows: [
    { value: 'pending', status: 'NOT_STARTED' },
    { value: 'processing', status: 'IN_PROGRESS' },
    { value: 'review', status: 'IN_REVIEW' },
    { value: 'approved', status: 'APPROVED' },
    { value: 'declined', status: 'DECLINED' },
    { value: 'expired', status: 'EXPIRED', note: 'the person never finished' },
  ],
};
