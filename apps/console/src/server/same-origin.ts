import type { FastifyReply, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: a page on another site can make a signed-in browser POST a form
 * (urlencoded, multipart or text) to the console, cookie included. Mutations that ride on the
 * session cookie must therefore be JSON — which a browser sends cross-site only after a CORS
 * preflight the console never grants — and come from the console's own origin when the browser
 * names one in Origin (or, without it, Referer). Compared by host: behind a reverse proxy, pass
 * the Host header on or set X-Forwarded-Host, as for the session cookie. Scripts with
 * `Authorization: Bearer` carry no ambient credential and are not asked.
 */
export async function refuseCrossSite(request: FastifyRequest, reply: FastifyReply) {
  // Every method that can change something, on every path: routing may read `/%74rpc` as /trpc.
  if (SAFE_METHODS.has(request.method)) return;
  if (/^Bearer\s/i.test(request.headers.authorization ?? '')) return;
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const source = request.headers.origin ?? request.headers.referer;
  const foreign = source !== undefined && hostOf(source) !== request.host;
  if (type !== 'application/json' || foreign) {
    await reply.code(403).send({
      error: {
        message: foreign
          ? 'Requests from other sites are refused.'
          : 'Console API calls must be JSON (content-type: application/json).',
        code: 'FORBIDDEN',
      },
    });
  }
}

/** The host of an origin or URL; undefined for `null` (sandboxed pages) and garbage. */
function hostOf(origin: string): string | undefined {
  return URL.canParse(origin) ? new URL(origin).host : undefined;
}
