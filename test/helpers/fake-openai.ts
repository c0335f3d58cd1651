/**
 * A fake OpenAI endpoint: a real HTTP server on loopback answering `/v1/models`,
 * `/v1/chat/completions` and `/v1/audio/transcriptions` in the shapes the SDK parses. It records
 * every request; a test queues the next answers of a route (statuses, bodies, a hang) and may
 * replace the judge that writes the default chat answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the spoken clips in test/fixtures/audio say (see make-clips.sh). */
export const SPOKEN_TEXT = 'I design bike lanes for the city. What got you into climbing?';

export type Route = 'models' | 'chat' | 'transcriptions';

const MODELS = [
  'gpt-4o-mini',
  'whisper-1',
  'gpt-4o-mini-transcribe',
  'Systran/faster-whisper-small',
];

export interface Recorded {
  route: Route;
  headers: IncomingMessage['headers'];
  /** Parsed JSON (chat), or the raw multipart text (transcriptions). */
  body: unknown;
  raw: Buffer;
  /** Date.now() when it arrived. */
  at: number;
}

export interface DataMessage {
  index: number;
  role: string;
  content: string;
}

/** A chat request as the judge sees it: the system prompt and the conversation it sent as data. */
export interface JudgeRequest {
  system: string;
  boundary: string;
  topic: string | null;
  messages: DataMessage[];
}

export type Reply =
  { status: number; headers?: Record<string, string>; body?: unknown } | { hang: true };

type Judge = (req: JudgeRequest) => unknown;

/** The judge's default: every trait 4 with the message's first words as evidence. */
export function ratingsFor(m: DataMessage, rating = 4, extra: Record<string, unknown> = {}) {
  const evidence = m.content.split(/\s+/).slice(0, 4).join(' ');
  const trait = { evidence, rating };
  return {
    index: m.index,
    language: 'en',
    confidence: trait,
    clarity: trait,
    humor: trait,
    tensionControl: trait,
    emotionalWarmth: trait,
    dominance: trait,
    flags: [],
    tags: ['curious'],
    safety: 'OK',
    microFeedback: 'You picked up what she said and added your own story; keep that.',
    ...extra,
  };
}

export const defaultJudge: Judge = (req) => ({
  messages: req.messages.filter((m) => m.role === 'USER').map((m) => ratingsFor(m)),
});

/** A chat completion whose content is `content` (a string, or JSON of an object). */
export function completion(content: unknown, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: typeof content === 'string' ? content : JSON.stringify(content),
          refusal: null,
        },
        finish_reason: 'stop',
        logprobs: null,
        ...extra,
      },
    ],
    usage: { prompt_tokens: 900, completion_tokens: 300, total_tokens: 1200 },
  };
}

/** Reads the conversation back out of a chat request the provider sent. */
export function judgeRequest(body: unknown): JudgeRequest {
  const { messages } = body as { messages: { role: string; content: string }[] };
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const data = messages.find((m) => m.role === 'user')?.content ?? '';
  const match = /^BEGIN (\S+)\n([\s\S]*)\nEND (\S+)$/.exec(data);
  if (!match || match[1] !== match[3]) throw new Error('conversation not inside a boundary');
  const parsed = JSON.parse(match[2] ?? '') as { topic: string | null; messages: DataMessage[] };
  return { system, boundary: match[1] ?? '', topic: parsed.topic, messages: parsed.messages };
}

export class FakeOpenAi {
  readonly requests: Recorded[] = [];
  judge: Judge = defaultJudge;
  /** What the transcription route says the clip contains. */
  spokenText = SPOKEN_TEXT;
  /** What `/v1/models` lists. */
  models = [...MODELS];
  private readonly queued: Record<Route, Reply[]> = { models: [], chat: [], transcriptions: [] };
  private readonly hanging = new Set<ServerResponse>();
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  private port = 0;

  /** Base URL for the SDK (`OPENAI_BASE_URL`). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The next answers of a route, in order; then the default answer again. */
  queue(route: Route, ...replies: Reply[]): void {
    this.queued[route].push(...replies);
  }

  /** Forgets recorded requests, queued answers and a replaced judge. */
  reset(): void {
    this.requests.length = 0;
    for (const list of Object.values(this.queued)) list.length = 0;
    this.judge = defaultJudge;
    this.spokenText = SPOKEN_TEXT;
    this.models = [...MODELS];
  }

  of(route: Route): Recorded[] {
    return this.requests.filter((r) => r.route === route);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const route = routeOf(req.method ?? '', req.url ?? '');
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no"}}');
      return;
    }
    const isJson = (req.headers['content-type'] ?? '').includes('json');
    const body: unknown = isJson ? JSON.parse(raw.toString('utf8')) : raw.toString('latin1');
    this.requests.push({ route, headers: req.headers, body, raw, at: Date.now() });
    const reply = this.queued[route].shift() ?? this.defaultReply(route, body);
    if ('hang' in reply) {
      this.hanging.add(res);
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }

  private defaultReply(route: Route, body: unknown): Reply {
    switch (route) {
      case 'models':
        return {
          status: 200,
          body: {
            object: 'list',
            data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
          },
        };
      case 'chat':
        return { status: 200, body: completion(this.judge(judgeRequest(body))) };
      case 'transcriptions': {
        const verbose = String(body).includes('verbose_json');
        const words = this.spokenText.split(/\s+/).map((word, i) => ({
          word,
          start: 0.2 + i * 0.35,
          end: 0.5 + i * 0.35,
        }));
        return {
          status: 200,
          body: verbose
            ? {
                task: 'transcribe',
                language: 'english',
                duration: 4.1,
                text: this.spokenText,
                words,
                segments: [],
              }
            : { text: this.spokenText },
        };
      }
    }
  }
}

function routeOf(method: string, url: string): Route | null {
  const path = url.split('?')[0] ?? '';
  if (method === 'GET' && path === '/v1/models') return 'models';
  if (method === 'POST' && path === '/v1/chat/completions') return 'chat';
  if (method === 'POST' && path === '/v1/audio/transcriptions') return 'transcriptions';
  return null;
}

/** Starts a fake endpoint for the test file; `reset()` it between tests. */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  return new FakeOpenAi().start();
}
