import { Injectable, Module } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import { JobHandler, JobRunner, MailService, type JobHandlerContract } from '@cdp/platform';
import { createTestApp, type TestApp } from './support/test-app';

interface Received {
  raw: string;
  from: string;
  to: string[];
  user?: string;
}

/** A real SMTP peer on 127.0.0.1 (no TLS offered; auth optional, checked when the client sends it). */
async function startSmtp(accept?: { user: string; pass: string }): Promise<{ port: number; inbox: Received[]; stop: () => Promise<void> }> {
  const inbox: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, cb) {
      if (accept && auth.username === accept.user && auth.password === accept.pass) return cb(null, { user: auth.username });
      return cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, inbox, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const message = {
  to: 'ana@example.com',
  subject: 'Your customer export is ready',
  text: 'Download it here: http://cdp.test/v1/exports/1/download?token=abc',
  html: '<p>Download it <a href="http://cdp.test/v1/exports/1/download?token=abc">here</a>.</p>',
  attachments: [{ filename: 'report.txt', content: 'three rows', contentType: 'text/plain' }],
};

const emlFiles = (t: TestApp): string[] => {
  const dir = join(t.env.DATA_DIR, 'mail');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .sort()
    : [];
};

describe('Mail (IE5: the export is sent by e-mail)', () => {
  it('IE5: with SMTP_URL the message reaches the SMTP server, from MAIL_FROM, with text, HTML and attachment', async () => {
    const smtp = await startSmtp();
    const t = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Acme CDP <cdp@acme.test>' } });
    try {
      const { messageId } = await t.app.get(MailService).send(message);
      expect(smtp.inbox).toHaveLength(1);
      const got = smtp.inbox[0];
      expect(got.from).toBe('cdp@acme.test');
      expect(got.to).toEqual(['ana@example.com']);
      expect(got.raw).toMatch(/^From: Acme CDP <cdp@acme\.test>$/m);
      expect(got.raw).toMatch(/^To: ana@example\.com$/m);
      expect(got.raw).toMatch(/^Subject: Your customer export is ready$/m);
      expect(got.raw).toContain(`Message-ID: ${messageId}`);
      expect(got.raw).toContain('Content-Type: text/plain');
      expect(got.raw).toContain('Content-Type: text/html');
      expect(got.raw).toContain('filename=report.txt');
      expect(got.raw).toContain('download?token=abc');
      // SMTP mode writes no files.
      expect(emlFiles(t)).toEqual([]);
    } finally {
      await t.close();
      await smtp.stop();
    }
  });

  it('IE5: credentials in SMTP_URL are used to log in to the server', async () => {
    const smtp = await startSmtp({ user: 'mailer', pass: 'p@ss word' });
    const t = await createTestApp({ env: { SMTP_URL: `smtp://mailer:${encodeURIComponent('p@ss word')}@127.0.0.1:${smtp.port}` } });
    try {
      await t.app.get(MailService).send({ to: 'bo@example.com', subject: 'Hello', text: 'Hi' });
      expect(smtp.inbox).toHaveLength(1);
      expect(smtp.inbox[0].user).toBe('mailer');
    } finally {
      await t.close();
      await smtp.stop();
    }
  });

  it('IE5: when the SMTP server refuses the login or cannot be reached, send rejects (a job retries it)', async () => {
    const smtp = await startSmtp({ user: 'mailer', pass: 'right' });
    const wrong = await createTestApp({ env: { SMTP_URL: `smtp://mailer:wrong@127.0.0.1:${smtp.port}` } });
    try {
      await expect(wrong.app.get(MailService).send({ to: 'bo@example.com', subject: 'Hello', text: 'Hi' })).rejects.toThrow();
      expect(smtp.inbox).toEqual([]);
    } finally {
      await wrong.close();
      await smtp.stop();
    }
    const gone = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
    try {
      await expect(gone.app.get(MailService).send({ to: 'bo@example.com', subject: 'Hello', text: 'Hi' })).rejects.toThrow(
        /ECONNREFUSED|connect/i,
      );
    } finally {
      await gone.close();
    }
  });

  it('IE5: without SMTP_URL each message is an .eml file under DATA_DIR/mail, from the default sender', async () => {
    const t = await createTestApp();
    try {
      const mail = t.app.get(MailService);
      const first = await mail.send(message);
      await mail.send({ to: ['a@example.com', 'b@example.com'], subject: 'Second', text: 'Another one' });
      const files = emlFiles(t);
      expect(files).toHaveLength(2);
      expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-[0-9a-f-]{36}\.eml$/);
      const eml = readFileSync(join(t.env.DATA_DIR, 'mail', files[0]), 'utf8');
      expect(eml).toMatch(/^From: CDP <no-reply@cdp\.localhost>$/m);
      expect(eml).toMatch(/^To: ana@example\.com$/m);
      expect(eml).toMatch(/^Subject: Your customer export is ready$/m);
      expect(eml).toContain(`Message-ID: ${first.messageId}`);
      expect(eml).toContain('download?token=abc');
      expect(eml).toContain('filename=report.txt');
      const second = readFileSync(join(t.env.DATA_DIR, 'mail', files[1]), 'utf8');
      expect(second).toMatch(/^To: a@example\.com, b@example\.com$/m);
      expect(second).toMatch(/^Subject: Second$/m);
    } finally {
      await t.close();
    }
  });
});

// A job that sends mail, as the export will: the e-mail leaves from the job, on whichever transport runs it.
@Injectable()
@JobHandler('test.mail.notify')
class NotifyHandler implements JobHandlerContract<{ to: string }> {
  constructor(private readonly mail: MailService) {}
  async run(data: { to: string }): Promise<void> {
    await this.mail.send({ to: data.to, subject: 'Export ready', text: 'Your export is ready.' });
  }
}

@Module({ providers: [NotifyHandler] })
class NotifyModule {}

describe('Mail from a job', () => {
  it('IE5: a job sends the e-mail: it arrives at the SMTP server after the job ran', async () => {
    const smtp = await startSmtp();
    const t = await createTestApp({ imports: [NotifyModule], env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
    try {
      await t.app.get(JobRunner).enqueue('test.mail.notify', { to: 'ops@example.com' });
      const until = Date.now() + 10000;
      while (!smtp.inbox.length && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(smtp.inbox.map((m) => m.to)).toEqual([['ops@example.com']]);
      expect(smtp.inbox[0].raw).toMatch(/^Subject: Export ready$/m);
    } finally {
      await t.close();
      await smtp.stop();
    }
  });
});
