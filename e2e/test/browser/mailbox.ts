import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

export type Mailbox = Awaited<ReturnType<typeof startMailbox>>;

/**
 * A local SMTP server (no TLS) that admits only this account and keeps each message it is
 * handed, parsed as a mail client reads it.
 */
export async function startMailbox(account: string, token: string) {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _session, done) =>
      auth.username === account && auth.password === token
        ? done(null, { user: auth.username })
        : done(new Error('Invalid username or password')),
    onData(stream, session, done) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((address) => address.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          done();
        })
        .catch((error: Error) => done(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  /** The first group of `pattern` in the newest mail to `to` that has it, once one arrived. */
  const find = async (to: string, pattern: RegExp) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const match = mails
        .filter((mail) => mail.to.includes(to))
        .map((mail) => pattern.exec(mail.text)?.[1])
        .findLast((found) => found !== undefined);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${pattern}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    port,
    mails,
    find,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
