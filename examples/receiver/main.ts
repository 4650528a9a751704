/**
 * A backend's webhook receiver, as small as it can be: verifies every delivery with the `standardwebhooks` package
 * (the signature, and a timestamp within five minutes), dedupes on `webhook-id` (Verigate sends at least once) and
 * prints each event. `npm run example:receiver`, then start Verigate with
 *
 *   OUTBOUND_WEBHOOKS='[{"name":"local","url":"http://127.0.0.1:4100/hooks","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]'
 *
 * PORT and WEBHOOK_SECRET override the defaults.
 */
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const secret = process.env.WEBHOOK_SECRET ?? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const port = Number(process.env.PORT ?? 4100);
const webhook = new Webhook(secret);
/** Ids already handled (a real backend keeps them in its database, with the work the event caused). */
const seen = new Set<string>();

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8'); // the raw body: a re-serialised one would not verify
  let event: { type: string; timestamp: string; data: Record<string, unknown> };
  try {
    event = webhook.verify(body, req.headers as Record<string, string>) as typeof event;
  } catch {
    res.writeHead(400).end();
    console.log('refused: the signature does not verify');
    return;
  }
  const id = String(req.headers['webhook-id']);
  if (!seen.has(id)) {
    seen.add(id);
    const { provider, sessionId, previousStatus, status, sequence } = event.data;
    console.log(
      event.type === 'verification.session.status_changed'
        ? `${id} ${provider} ${sessionId} #${sequence}: ${previousStatus ?? '-'} → ${status}`
        : `${id} ${event.type}`,
    );
  }
  res.writeHead(204).end(); // any 2xx: delivered; anything else is retried
});

server.listen(port, '127.0.0.1', () => console.log(`receiver on http://127.0.0.1:${port}/hooks`));
