import { MailerModule } from '@nestjs-modules/mailer';
import { DynamicModule, Module } from '@nestjs/common';
import { MailService } from './mail.service';
import { MAIL_DEFAULTS, MAIL_OPTIONS, type MailOptions, type ResolvedMailOptions } from './mail.types';

/** Mail through `@nestjs-modules/mailer` (nodemailer): SMTP when `smtpUrl` is set, `.eml` files otherwise. */
@Module({})
export class MailModule {
  static forRoot(options: MailOptions = {}): DynamicModule {
    const opts: ResolvedMailOptions = {
      smtpUrl: options.smtpUrl || undefined,
      from: options.from || MAIL_DEFAULTS.from,
      dataDir: options.dataDir || MAIL_DEFAULTS.dataDir,
    };
    // nodemailer reads host, port, auth (user:pass@) and TLS (smtps://) from the URL itself.
    const transport = opts.smtpUrl ?? { streamTransport: true as const, buffer: true, newline: 'unix' as const };
    return {
      module: MailModule,
      imports: [MailerModule.forRoot({ transport, defaults: { from: opts.from }, sendTimeout: MAIL_DEFAULTS.sendTimeoutMs })],
      providers: [{ provide: MAIL_OPTIONS, useValue: opts }, MailService],
      exports: [MailService],
    };
  }
}
