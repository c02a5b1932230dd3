import type { FastifyInstance } from 'fastify';

/**
 * GET /: people who open the gateway's address land in the console — FRONTEND_BASE_URL when set,
 * otherwise the console port on the host they asked for.
 */
export function consoleRedirectRoute(
  app: FastifyInstance,
  options: { frontendBaseUrl?: string | undefined; consolePort: number },
): void {
  app.get('/', async (request, reply) => {
    if (options.frontendBaseUrl) return reply.redirect(options.frontendBaseUrl, 302);
    const hostname = request.hostname.replace(/:\d+$/, '') || 'localhost';
    return reply.redirect(`${request.protocol}://${hostname}:${options.consolePort}/`, 302);
  });
}
