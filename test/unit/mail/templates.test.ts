import { describe, expect, it } from 'vitest';
import { escapeHtml, passwordResetMail, resetLink } from '../../../shared/mail/templates.js';

describe('resetLink', () => {
  it('adds the token to the reset page, keeping its own query', () => {
    expect(resetLink('https://app.example/reset', 'abc_-1')).toBe(
      'https://app.example/reset?token=abc_-1',
    );
    expect(resetLink('https://app.example/reset?from=mail#top', 'tok')).toBe(
      'https://app.example/reset?from=mail&token=tok#top',
    );
  });
});

describe('passwordResetMail', () => {
  it('carries the link as plain text and, escaped, in the HTML', () => {
    const link = 'https://app.example/reset?a="><script>&token=t';
    const mail = passwordResetMail(link, 30);
    expect(mail.subject).toBe('Reset your SocialGym password');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('30 minutes');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain(`href="${escapeHtml(link)}"`);
    expect(escapeHtml(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
  });
});
