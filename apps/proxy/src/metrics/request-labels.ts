import type { FastifyInstance } from 'fastify';
import { NO_CHANNEL, type ProxyMetrics } from './proxy-metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** What chat_api_requests_total counts a relayed request under, as the relay learns it. */
    metricEndpoint: string;
    /** The model once the relay knows it serves it (an unknown name would add a series). */
    metricModel: string;
    /** The channel last called; NO_CHANNEL before any. */
    metricChannel: number;
  }
}

/**
 * Counts every answer of the relay routes when its last byte is sent, with the status sent
 * (refusals before routing included). Plain fields on the request carry the labels: no object
 * per request.
 */
export function countRelayedRequests(app: FastifyInstance, metrics: ProxyMetrics): void {
  app.decorateRequest('metricEndpoint', '');
  app.decorateRequest('metricModel', '');
  app.decorateRequest('metricChannel', NO_CHANNEL);
  app.addHook('onResponse', (request, reply, done) => {
    metrics.requestEnded(
      request.metricEndpoint || request.routeOptions.url || '',
      request.metricModel,
      request.metricChannel,
      reply.statusCode,
    );
    done();
  });
}
