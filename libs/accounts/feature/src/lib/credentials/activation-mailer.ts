import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import type { Transporter } from 'nodemailer';

export interface ActivationMail {
  readonly to: string;
  readonly name: string;
  readonly link: string;
  readonly expiresAt: Date;
  readonly purpose: 'activation' | 'reset';
}

/** Mails activation and reset links when SMTP_URL is configured; without it the admin hands them out. */
@Injectable()
export class ActivationMailer implements OnModuleDestroy {
  private readonly logger = new Logger('ActivationMailer');
  private readonly transport: Transporter | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // Loaded only when mail is configured: an idle server without SMTP never holds nodemailer.
    this.transport = config.smtpUrl ? (require('nodemailer') as typeof import('nodemailer')).createTransport(config.smtpUrl) : undefined;
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  /** True when the mail server accepted it; a refusal is logged (without the link) and reported as false. */
  async send(mail: ActivationMail): Promise<boolean> {
    if (!this.transport) return false;
    const until = mail.expiresAt.toISOString().replace('T', ' ').slice(0, 16);
    const subject = mail.purpose === 'activation' ? 'Kích hoạt tài khoản tieuchi' : 'Đặt lại mật khẩu tieuchi';
    const text = [
      `Xin chào ${mail.name},`,
      '',
      mail.purpose === 'activation' ? 'Tài khoản của bạn trên hệ thống tieuchi đã được tạo. Mở liên kết sau để đặt mật khẩu:' : 'Mở liên kết sau để đặt lại mật khẩu:',
      mail.link,
      '',
      `Liên kết chỉ dùng được một lần và hết hạn lúc ${until} UTC.`,
    ].join('\n');
    try {
      await this.transport.sendMail({ from: this.config.mailFrom, to: mail.to, subject, text });
      return true;
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? { name: error.name, code: (error as { code?: unknown }).code } : undefined, to: mail.to }, 'activation mail refused');
      return false;
    }
  }
}
