import { MailerService } from '@nestjs-modules/mailer';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newId } from '../ids';
import { MAIL_OPTIONS, type MailMessage, type ResolvedMailOptions } from './mail.types';

/**
 * Sends one e-mail: through SMTP when `SMTP_URL` is set, otherwise as an `.eml` file under `DATA_DIR/mail/`
 * (open it in any mail client), so nothing is needed to run locally. A failure rejects (a job retries it).
 */
@Injectable()
export class MailService {
  private readonly log = new Logger('Mail');

  constructor(
    private readonly mailer: MailerService,
    @Inject(MAIL_OPTIONS) private readonly opts: ResolvedMailOptions,
  ) {}

  /** The directory `.eml` files go to, or undefined when mail goes to SMTP. */
  get outbox(): string | undefined {
    return this.opts.smtpUrl ? undefined : join(this.opts.dataDir, 'mail');
  }

  async send(msg: MailMessage): Promise<{ messageId: string }> {
    const info = (await this.mailer.sendMail({
      to: msg.to,
      subject: msg.subject,
      text: msg.text,
      html: msg.html,
      attachments: msg.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
    })) as { messageId: string; message?: Buffer };
    const outbox = this.outbox;
    if (outbox) {
      await mkdir(outbox, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = join(outbox, `${stamp}-${newId()}.eml`);
      await writeFile(file, info.message ?? Buffer.alloc(0));
      this.log.log(`Mail "${msg.subject}" written to ${file}`);
    }
    return { messageId: info.messageId };
  }
}
