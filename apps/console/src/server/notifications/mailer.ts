import { createTransport } from 'nodemailer';
import type { SmtpSettings } from './settings.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the message; rejects with its reason otherwise. */
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** A server that does not answer must not hold the sender for nodemailer's default 2 minutes. */
const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/** Sends through the configured SMTP server, one connection per message. */
export function createMailer(smtp: SmtpSettings): Mailer {
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass } : undefined,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  return {
    async send(mail) {
      if (!smtp.from) throw new Error('SMTPFrom: set the sender address (or SMTPAccount)');
      await transport.sendMail({ from: smtp.from, ...mail });
    },
    close: () => transport.close(),
  };
}
