import { Router } from 'express';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import { notFound } from '../../shared/errors.js';
import { inspectAudio, limitUploads, receiveAudio, requireTranscription } from './audio.js';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';
import { readLimiter, submitLimiter } from '../middleware/rate-limit.js';
import { inputOf, validate } from '../middleware/validate.js';
import { page } from '../shared/pagination.js';
import { route, type ProblemCode } from '../shared/operations.js';
import { listSessions } from '../../shared/sessions/list.js';
import { QUEUED_RESPONSES, SessionPageSchema, SessionViewSchema } from './responses.js';
import {
  AbSessionSchema,
  SessionParamsSchema,
  SessionsQuerySchema,
  TextSessionSchema,
  VoiceAudioFormSchema,
  VoiceSessionSchema,
  WaitQuerySchema,
} from './schemas.js';
import {
  checkTemplateLimits,
  idempotencyGate,
  replayOnRefusal,
  submitPractice,
  templateLimitsCache,
} from './submit.js';
import { sessionListRequest } from './list-query.js';
import { isTerminal, sessionPageView, sessionView } from './views.js';
import { badRequest } from '../../shared/errors.js';

export function practiceRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(deps));
  const templateLimits = templateLimitsCache(deps.prisma);
  // Every submit: refused at once past capacity (503), then limited per user (429).
  const admit = [deps.overload.guard, submitLimiter(deps.config, deps.redis)];
  /** What admission and the submit path answer on every submit route. */
  const submitProblems: ProblemCode[] = [
    'OVERLOADED',
    'RATE_LIMITED',
    'PERSONA_NOT_FOUND',
    'TEMPLATE_NOT_FOUND',
    'TEMPLATE_LIMIT_EXCEEDED',
  ];
  const queued = QUEUED_RESPONSES;

  const text = { body: TextSessionSchema };
  route(
    router,
    {
      method: 'post',
      path: '/session',
      summary: 'Submit a text session',
      auth: true,
      idempotent: true,
      request: text,
      ok: queued,
      problems: [...submitProblems, 'PRACTICE_NO_USER_MESSAGE'],
    },
    ...admit,
    idempotencyGate('POST /v1/practice/session'),
    validate(text),
    async (_req, res) => {
      const { messages, ...refs } = inputOf(res, text).body;
      const userMessages = messages.filter((m) => m.role === 'USER').map((m) => m.content);
      if (userMessages.length === 0) {
        throw badRequest(
          'PRACTICE_NO_USER_MESSAGE',
          'messages must include at least one USER message',
        );
      }
      if (refs.templateId) checkTemplateLimits(await templateLimits(refs.templateId), userMessages);
      await submitPractice(deps, res, {
        input: { mode: 'text', messages: messages.map(({ role, content }) => ({ role, content })) },
        ...refs,
      });
    },
  );

  // Voice, multipart: an audio clip to transcribe (the JSON form is the next route).
  const audioForm = { body: VoiceAudioFormSchema };
  route(
    router,
    {
      method: 'post',
      path: '/voice-session',
      summary:
        'Submit a spoken answer: a JSON transcript, or a multipart audio clip (flac, m4a, mp3, mp4, mpeg, ogg, wav, webm; 25 MiB) that the worker transcribes. A template’s word limit applies to the transcript: a JSON one over it answers 400 TEMPLATE_LIMIT_EXCEEDED; a transcribed clip over it ends FAILED with error code TEMPLATE_LIMIT_EXCEEDED (nothing granted)',
      auth: true,
      idempotent: true,
      form: VoiceAudioFormSchema.extend({
        audio: z.string().meta({ format: 'binary', description: 'The spoken clip' }),
      }),
      ok: queued,
      problems: [
        ...submitProblems,
        'VALIDATION_FAILED',
        'MALFORMED_REQUEST',
        'PAYLOAD_TOO_LARGE',
        'TRANSCRIPTION_UNAVAILABLE',
        'AUDIO_FORMAT_UNSUPPORTED',
        'AUDIO_UNREADABLE',
        'AUDIO_TOO_LONG',
      ],
    },
    (req, _res, next) => {
      next(req.is('multipart/form-data') ? undefined : 'route');
    },
    requireTranscription(deps.config.TRANSCRIPTION_PROVIDER !== 'none'),
    ...admit,
    limitUploads(deps.config.AUDIO_UPLOADS_IN_FLIGHT),
    receiveAudio,
    // The key promises the fields and the very bytes of the clip.
    idempotencyGate('POST /v1/practice/voice-session', (req) => ({
      ...req.body,
      audioSha256: createHash('sha256')
        .update(req.file?.buffer ?? '')
        .digest('hex'),
    })),
    validate(audioForm),
    async (req, res) => {
      // The duration measured from the file wins over a claimed durationSec.
      const { topic, personaId, templateId } = inputOf(res, audioForm).body;
      const refs = { topic, personaId, templateId };
      const bytes = req.file?.buffer ?? Buffer.alloc(0);
      const audio = await inspectAudio(bytes);
      await submitPractice(deps, res, {
        input: { mode: 'voice', transcript: null, durationSec: audio.durationSec, audio },
        clip: { mimeType: audio.mimeType, bytes },
        ...refs,
      });
    },
  );

  const voice = { body: VoiceSessionSchema };
  route(
    router,
    {
      method: 'post',
      path: '/voice-session',
      summary: 'Submit a spoken answer as a JSON transcript (documented with the multipart form)',
      auth: true,
      idempotent: true,
      request: voice,
      ok: queued,
      problems: submitProblems,
    },
    ...admit,
    idempotencyGate('POST /v1/practice/voice-session'),
    validate(voice),
    async (_req, res) => {
      const { transcript, durationSec, ...refs } = inputOf(res, voice).body;
      if (refs.templateId) checkTemplateLimits(await templateLimits(refs.templateId), [transcript]);
      await submitPractice(deps, res, {
        input: { mode: 'voice', transcript, durationSec: durationSec ?? null },
        ...refs,
      });
    },
  );

  const ab = { body: AbSessionSchema };
  route(
    router,
    {
      method: 'post',
      path: '/ab-session',
      summary: 'Submit an A/B choice (a template’s word limit applies to each option)',
      auth: true,
      idempotent: true,
      request: ab,
      ok: queued,
      problems: submitProblems,
    },
    ...admit,
    idempotencyGate('POST /v1/practice/ab-session'),
    validate(ab),
    async (_req, res) => {
      const { optionA, optionB, prompt, ...refs } = inputOf(res, ab).body;
      if (refs.templateId) {
        // Each option is the one message the user would send: both must keep the limits.
        const limits = await templateLimits(refs.templateId);
        checkTemplateLimits(limits, [optionA]);
        checkTemplateLimits(limits, [optionB]);
      }
      await submitPractice(deps, res, {
        input: { mode: 'ab', optionA, optionB, prompt: prompt || null },
        ...refs,
      });
    },
  );

  const one = { query: WaitQuerySchema };
  route(
    router,
    {
      method: 'get',
      path: '/sessions/:id',
      summary: 'One session (long-poll with waitMs)',
      auth: true,
      request: { ...one, params: SessionParamsSchema },
      ok: { 200: { description: 'Session view', schema: SessionViewSchema } },
      problems: ['SESSION_NOT_FOUND'],
    },
    validate(one),
    async (req, res) => {
      const { query } = inputOf(res, one);
      // An id that cannot exist is simply not found (and never reaches the database).
      const params = SessionParamsSchema.safeParse(req.params);
      if (!params.success) throw notFound('SESSION_NOT_FOUND', 'No such session');
      const { id } = params.data;
      const userId = principalOf(res).id;
      const load = async () => {
        const s = await deps.prisma.practiceSession.findFirst({ where: { id, userId } });
        if (!s) throw notFound('SESSION_NOT_FOUND', 'No such session');
        return s;
      };
      let session = await load();
      const deadline = Date.now() + query.waitMs;
      const aborted = new AbortController();
      req.on('close', () => {
        aborted.abort();
      });
      // Each slice is the whole wait while pub/sub works, a few seconds while it is down (then the
      // database is re-read); a shutdown ends the wait at once with the current view.
      for (
        let sliceMs = deps.sessionEvents.sliceMs(query.waitMs);
        sliceMs > 0 && !isTerminal(session) && !aborted.signal.aborted;
        sliceMs = deps.sessionEvents.sliceMs(deadline - Date.now())
      ) {
        // Register first, then re-read: a completion between the two reads is not missed.
        const wait = deps.sessionEvents.waitFor(session.id, sliceMs, aborted.signal);
        session = await load();
        if (isTerminal(session)) wait.cancel();
        else {
          await wait.done;
          session = await load();
        }
      }
      res.json(sessionView(session));
    },
  );

  const list = { query: SessionsQuerySchema };
  route(
    router,
    {
      method: 'get',
      path: '/sessions',
      summary:
        'The caller’s sessions, newest first, optionally filtered by mode, status and templateId (a cursor continues the filters of its page)',
      auth: true,
      request: list,
      ok: { 200: { description: 'Page of sessions', schema: SessionPageSchema } },
      problems: ['RATE_LIMITED', 'INVALID_CURSOR'],
    },
    readLimiter(deps.config, deps.redis),
    validate(list),
    async (_req, res) => {
      const { limit, ...query } = inputOf(res, list).query;
      const { filter, after, scope } = sessionListRequest(query);
      const rows = await listSessions(deps.prisma, {
        userId: principalOf(res).id,
        limit,
        after,
        filter,
      });
      const { items, nextCursor } = page(rows, limit, scope);
      res.json(sessionPageView(items, nextCursor));
    },
  );

  // Refusals of requests whose key is live: replay or 422 (see replayOnRefusal).
  router.use(replayOnRefusal(deps));
  return router;
}
