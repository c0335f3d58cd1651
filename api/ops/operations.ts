import { z } from 'zod';
import {
  LoginSchema,
  LogoutSchema,
  RefreshSchema,
  RevokeSchema,
  SignupSchema,
} from '../auth/schemas.js';
import { TemplatesQuerySchema } from '../catalog/schemas.js';
import { ChatMessageSchema } from '../legacy/schemas.js';
import {
  AbSessionSchema,
  PageQuerySchema,
  SessionParamsSchema,
  TextSessionSchema,
  VoiceAudioFormSchema,
  VoiceSessionSchema,
  WaitQuerySchema,
} from '../practice/schemas.js';
import { PreferencesSchema } from '../profile/schemas.js';

export type Method = 'get' | 'post' | 'patch';
export interface Op {
  method: Method;
  path: string;
  summary: string;
  auth?: boolean;
  body?: z.ZodType;
  /** A multipart/form-data alternative to the JSON body (file parts as binary strings). */
  form?: z.ZodType;
  query?: z.ZodObject;
  params?: z.ZodObject;
  idempotent?: boolean;
  /** Success carries tokens: sent with `Cache-Control: no-store`. */
  tokens?: boolean;
  ok: Record<number, string>;
  errors?: number[];
}

/** Every route of API.md with the zod schemas that validate it. */
export const OPERATIONS: Op[] = [
  {
    method: 'post',
    path: '/v1/auth/signup',
    summary: 'Create an account',
    body: SignupSchema,
    tokens: true,
    ok: { 201: 'User and tokens' },
    errors: [400, 409, 429],
  },
  {
    method: 'post',
    path: '/v1/auth/login',
    summary:
      'Sign in. Only wrong credentials (401) count toward the failed-login limits: per account and address, per address, and a slower per-account ceiling',
    body: LoginSchema,
    tokens: true,
    ok: { 200: 'User and tokens' },
    errors: [400, 401, 429],
  },
  {
    method: 'post',
    path: '/v1/auth/refresh',
    summary:
      'Rotate a refresh token. Presented again within REFRESH_REUSE_GRACE_SEC (20 s) of its rotation it answers the same successor; later, AUTH_REFRESH_REUSED revokes the family and ends the access tokens',
    body: RefreshSchema,
    tokens: true,
    ok: { 200: 'New token pair' },
    errors: [400, 401, 429],
  },
  {
    method: 'post',
    path: '/v1/auth/logout',
    summary: 'End all access tokens and a refresh family',
    auth: true,
    body: LogoutSchema,
    ok: { 200: 'Signed out' },
    errors: [401],
  },
  {
    method: 'post',
    path: '/v1/auth/revoke',
    summary: 'Revoke a user (self, or any user for admins)',
    auth: true,
    body: RevokeSchema,
    ok: { 200: 'Revoked' },
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/v1/profile',
    summary: 'The caller’s profile',
    auth: true,
    ok: { 200: 'Profile' },
    errors: [401],
  },
  {
    method: 'patch',
    path: '/v1/profile/preferences',
    summary:
      'Update preferences. A new timezone shows at once; streaks and daily reward limits count days in it from 24 hours after the change',
    auth: true,
    body: PreferencesSchema,
    ok: { 200: 'Profile' },
    errors: [400, 401],
  },
  {
    method: 'post',
    path: '/v1/practice/session',
    summary: 'Submit a text session',
    auth: true,
    idempotent: true,
    body: TextSessionSchema,
    ok: { 202: 'Queued', 200: 'Replay of a finished session' },
    errors: [400, 401, 422],
  },
  {
    method: 'post',
    path: '/v1/practice/voice-session',
    summary:
      'Submit a spoken answer: a JSON transcript, or a multipart audio clip (flac, m4a, mp3, mp4, mpeg, ogg, wav, webm; 25 MiB) that the worker transcribes. A template’s word limit applies to the transcript: a JSON one over it answers 400 TEMPLATE_LIMIT_EXCEEDED; a transcribed clip over it ends FAILED with error code TEMPLATE_LIMIT_EXCEEDED (nothing granted)',
    auth: true,
    idempotent: true,
    body: VoiceSessionSchema,
    form: VoiceAudioFormSchema.extend({
      audio: z.string().meta({ format: 'binary', description: 'The spoken clip' }),
    }),
    ok: { 202: 'Queued', 200: 'Replay of a finished session' },
    errors: [400, 401, 413, 422, 503],
  },
  {
    method: 'post',
    path: '/v1/practice/ab-session',
    summary: 'Submit an A/B choice (a template’s word limit applies to each option)',
    auth: true,
    idempotent: true,
    body: AbSessionSchema,
    ok: { 202: 'Queued', 200: 'Replay of a finished session' },
    errors: [400, 401, 422],
  },
  {
    method: 'get',
    path: '/v1/practice/sessions/{id}',
    summary: 'One session (long-poll with waitMs)',
    auth: true,
    params: SessionParamsSchema,
    query: WaitQuerySchema,
    ok: { 200: 'Session view' },
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/v1/practice/sessions',
    summary: 'The caller’s sessions, newest first',
    auth: true,
    query: PageQuerySchema,
    ok: { 200: 'Page of sessions' },
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/v1/stats/dashboard',
    summary: 'The dashboard',
    auth: true,
    ok: { 200: 'Dashboard' },
    errors: [401],
  },
  {
    method: 'get',
    path: '/v1/wallet/me',
    summary: 'The caller’s wallet',
    auth: true,
    ok: { 200: 'Wallet' },
    errors: [401],
  },
  {
    method: 'get',
    path: '/v1/wallet/transactions',
    summary: 'The caller’s ledger, newest first',
    auth: true,
    query: PageQuerySchema,
    ok: { 200: 'Page of ledger entries' },
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/v1/personas',
    summary: 'Active personas',
    auth: true,
    ok: { 200: 'Personas' },
    errors: [401],
  },
  {
    method: 'get',
    path: '/v1/templates',
    summary: 'Active mission templates',
    auth: true,
    query: TemplatesQuerySchema,
    ok: { 200: 'Templates' },
    errors: [400, 401],
  },
  { method: 'get', path: '/v1/health', summary: 'Liveness', ok: { 200: 'Up' } },
  {
    method: 'get',
    path: '/v1/health/ready',
    summary: 'Readiness (Postgres and Redis)',
    ok: { 200: 'Ready' },
    errors: [503],
  },
  {
    method: 'get',
    path: '/v1/dashboard/summary',
    summary: 'Deprecated alias of /v1/stats/dashboard',
    auth: true,
    ok: { 200: 'Dashboard' },
    errors: [401],
  },
  {
    method: 'get',
    path: '/v1/sessions/dashboard/summary',
    summary: 'Deprecated alias of /v1/stats/dashboard',
    auth: true,
    ok: { 200: 'Dashboard' },
    errors: [401],
  },
  {
    method: 'post',
    path: '/v1/sessions/mock',
    summary: 'Dev only (ENABLE_DEV_ROUTES): run the pipeline on a sample',
    auth: true,
    idempotent: true,
    ok: { 202: 'Queued' },
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/v1/chat/message',
    summary: 'FEATURE_CHAT: append a USER message to an own session',
    auth: true,
    body: ChatMessageSchema,
    ok: { 201: 'Appended' },
    errors: [400, 401, 404, 409],
  },
  {
    method: 'get',
    path: '/v1/powerups/available',
    summary: 'FEATURE_POWERUPS: the power-up catalog',
    auth: true,
    ok: { 200: 'Power-ups' },
    errors: [401, 404],
  },
];
