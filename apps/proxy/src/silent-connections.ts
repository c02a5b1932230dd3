import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Connections that were opened but have not sent a request yet. Node's header timeout starts
 * with a request's first byte, so a connection that sends nothing stays open for good (and keeps
 * a draining server from closing); it is closed after `timeoutMs`, and at once on shutdown.
 */
export class SilentConnections {
  private readonly waiting = new Set<Socket>();

  constructor(server: Server, timeoutMs: number) {
    server.on('connection', (socket: Socket) => {
      this.waiting.add(socket);
      socket.setTimeout(timeoutMs);
      socket.once('close', () => this.waiting.delete(socket));
    });
    // From its first request on, Node times the connection itself (headers, body, keep-alive).
    server.on('request', (request: { socket: Socket }) => {
      if (this.waiting.delete(request.socket)) request.socket.setTimeout(0);
    });
  }

  closeAll(): void {
    for (const socket of this.waiting) socket.destroy();
    this.waiting.clear();
  }
}
