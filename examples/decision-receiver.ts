// A reference decision-callback receiver: verifies the Standard Webhooks signature, rejects replays,
// then runs seed 000's decision handler. Uses only Node's standard library, so it can be copied
// into any automation backend.
//
//   CALLBACK_SECRET=whsec_… npm run example:receiver      (listens on PORT, default 9000; 0 picks a free port)
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const secret = process.env.CALLBACK_SECRET ?? '';
const port = Number(process.env.PORT ?? 9000);
const TOLERANCE_SECONDS = 5 * 60;
const seen = new Set<string>(); // webhook-ids already handled; use your database in production

if (!secret.startsWith('whsec_')) {
  console.error('Set CALLBACK_SECRET to the workspace callback secret (whsec_…) printed on first start.');
  process.exit(1);
}

/** True when one of the `v1,` signatures matches: HMAC-SHA256 over "id.timestamp.body". */
function verify(id: string, timestamp: string, signatures: string, body: string): boolean {
  const age = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (!/^\d+$/.test(timestamp) || age > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value = ''] = entry.split(',');
    const candidate = Buffer.from(value, 'base64');
    // Compare only canonical base64: Node's decoder ignores junk and anything after the padding.
    if (candidate.toString('base64') !== value) return false;
    return version === 'v1' && candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8'); // verify the exact bytes, before parsing
    const id = String(req.headers['webhook-id'] ?? '');
    if (!verify(id, String(req.headers['webhook-timestamp'] ?? ''), String(req.headers['webhook-signature'] ?? ''), raw)) {
      res.writeHead(401).end('bad signature');
      return;
    }
    if (!seen.has(id)) {
      seen.add(id);
      // Seed 000's decision handler:
      const body = JSON.parse(raw);
      const details = body.modifiedDetails ?? body.details;
      if (body.status === 'APPROVED') console.log(`APPROVED ${body.approvalId}: execute ${body.action} with ${JSON.stringify(details)}`);
      else console.log(`${body.status} ${body.approvalId}: Action declined: ${body.decisionNote}`);
    }
    res.writeHead(200).end('ok'); // 2xx, or Countersign retries
  });
});
server.listen(port, () => console.log(`decision receiver listening on http://localhost:${(server.address() as AddressInfo).port}/callback`));
