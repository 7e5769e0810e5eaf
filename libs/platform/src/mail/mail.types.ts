export interface MailOptions {
  /** `smtp://[user:pass@]host:port` or `smtps://…`; when absent, messages are written as `.eml` files. */
  smtpUrl?: string;
  /** The sender, e.g. `CDP <no-reply@example.com>`. */
  from?: string;
  /** Files go to `<dataDir>/mail/` when there is no SMTP server. */
  dataDir?: string;
}

export interface MailAttachment {
  filename: string;
  content: string | Buffer;
  contentType?: string;
}

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

export const MAIL_DEFAULTS = { from: 'CDP <no-reply@cdp.localhost>', dataDir: './data', sendTimeoutMs: 30_000 } as const;

export type ResolvedMailOptions = { smtpUrl?: string; from: string; dataDir: string };

export const MAIL_OPTIONS = Symbol('MAIL_OPTIONS');
