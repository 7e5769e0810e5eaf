import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** How long and how much the server keeps reading after answering early (API.md "The served contract is exact"). */
export interface LingerLimits {
  /** Request bytes read and discarded after the answer, at most. */
  maxBytes: number;
  /** Time spent lingering, at most. */
  maxMs: number;
  /** Silence from the client that ends the linger early. */
  idleMs: number;
}

// Past a few times the largest body limit (5 MB), a client that still sends is not listening either.
export const DEFAULT_LINGER: LingerLimits = { maxBytes: 32 * 1024 * 1024, maxMs: 10_000, idleMs: 2_000 };

type ClosingSocket = Socket & { destroySoon?: () => void };

/**
 * A lingering close for answers given before the request body was read, such as 413 payload_too_large.
 *
 * Fastify marks such an answer `Connection: close`, and Node ends the response with `socket.destroySoon()`,
 * which closes the socket as soon as the answer is flushed. The client is usually still sending: closing
 * with unread bytes makes the kernel reset the connection, and a reset discards the answer the client has
 * not read yet, so the client sees EPIPE or ECONNRESET instead of the 413. Here that one socket closes the
 * way HTTP servers have long done it: half-close after the answer (the client reads it and the FIN), keep
 * reading and discarding what the client still sends, within `limits`, then close.
 */
export function lingerOnEarlyAnswers(fastify: FastifyInstance, limits: LingerLimits = DEFAULT_LINGER): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const connection = reply.getHeader('connection');
    if (!request.raw.complete && typeof connection === 'string' && /\bclose\b/i.test(connection)) {
      const socket = request.raw.socket as ClosingSocket;
      if (typeof socket.destroySoon === 'function') socket.destroySoon = () => lingeringClose(socket, request.raw, limits);
    }
    return payload;
  });
}

function lingeringClose(socket: Socket, request: IncomingMessage, limits: LingerLimits): void {
  let read = 0;
  let finished = false;
  const close = () => {
    if (finished) return;
    finished = true;
    clearTimeout(total);
    clearTimeout(idle);
    socket.destroy();
  };
  const total = setTimeout(close, limits.maxMs).unref();
  const idle = setTimeout(close, limits.idleMs).unref();
  // The HTTP parser reads the socket itself (no 'data' there); what it parses of the body arrives here.
  request.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > limits.maxBytes) close();
    else idle.refresh();
  });
  request.once('end', close);
  socket.once('end', close);
  socket.once('close', close);
  socket.end();
  request.resume();
}
