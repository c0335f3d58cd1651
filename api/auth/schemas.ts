import { z } from 'zod';
import { Timestamp, okWith } from '../shared/responses.js';

/** An IANA time zone name that this runtime knows (e.g. "Europe/Berlin"). */
export const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' });

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be a valid email address' }));

const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');

/**
 * A display name: 1-80 characters (code points) once trimmed, without control characters or
 * line/paragraph separators (it is shown on one line).
 */
export const displayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((v) => Array.from(v).length <= 80, { message: 'must be at most 80 characters' })
  .refine((v) => !/[\p{Cc}\u2028\u2029]/u.test(v), {
    message: 'must not contain control characters',
  });

export const SignupSchema = z.strictObject({
  email,
  password,
  timezone: timeZone.default('UTC'),
  name: displayName.optional(),
});
export type SignupInput = z.infer<typeof SignupSchema>;

export const LoginSchema = z.strictObject({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(128),
});
export type LoginInput = z.infer<typeof LoginSchema>;

const refreshToken = z.string().min(1).max(512);

export const RefreshSchema = z.strictObject({ refreshToken });
export const LogoutSchema = z.strictObject({ refreshToken: refreshToken.optional() });
export const RevokeSchema = z.strictObject({ userId: z.string().min(1).max(64).optional() });

export const PasswordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: password,
});
export type PasswordChangeInput = z.infer<typeof PasswordChangeSchema>;

export const ResetRequestSchema = z.strictObject({ email });

/** Reset tokens we issue are 43 characters (256 bits, base64url); anything else is unknown. */
export const ResetConfirmSchema = z.strictObject({
  token: z.string().min(1).max(256),
  newPassword: password,
});
export type ResetConfirmInput = z.infer<typeof ResetConfirmSchema>;

// ---- Responses (typed presenters in views.ts; shown in the OpenAPI document)

const tokenFields = {
  accessToken: z.string().meta({ description: 'JWT for `Authorization: Bearer`' }),
  refreshToken: z.string().meta({ description: 'Opaque; single use (rotated by /refresh)' }),
  expiresIn: z.number().int().meta({ description: 'Access token lifetime in seconds' }),
};

export const UserSchema = z
  .object({ id: z.string(), email: z.string(), createdAt: Timestamp })
  .meta({ id: 'User' });

/** Signup (201) and login (200). */
export const AuthResponse = okWith({ user: UserSchema, ...tokenFields }).meta({
  id: 'AuthResponse',
});
export type AuthResponse = z.infer<typeof AuthResponse>;

/** A new token pair (refresh). */
export const TokensResponse = okWith(tokenFields).meta({ id: 'TokensResponse' });
export type TokensResponse = z.infer<typeof TokensResponse>;
