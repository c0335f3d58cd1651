import type { MailMessage } from './mailer.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** The reset page with the token in its query (`?token=`), other query parameters kept. */
export function resetLink(appResetUrl: string, token: string): string {
  const url = new URL(appResetUrl);
  url.searchParams.set('token', token);
  return url.href;
}

/** The password-reset email: plain text and a simple HTML version, the link escaped in it. */
export function passwordResetMail(link: string, validMinutes: number): Omit<MailMessage, 'to'> {
  const subject = 'Reset your SocialGym password';
  const text = [
    'Someone (hopefully you) asked to reset the password of your SocialGym account.',
    '',
    `To choose a new password, open this link within ${validMinutes} minutes:`,
    '',
    link,
    '',
    'The link works once. If you did not ask for this, ignore this email: your password stays as it is.',
  ].join('\n');
  const href = escapeHtml(link);
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: sans-serif; line-height: 1.5">',
    '<p>Someone (hopefully you) asked to reset the password of your SocialGym account.</p>',
    `<p>To choose a new password, open this link within ${validMinutes} minutes:</p>`,
    `<p><a href="${href}">Reset my password</a></p>`,
    `<p style="word-break: break-all">${href}</p>`,
    '<p>The link works once. If you did not ask for this, ignore this email: your password stays as it is.</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
