import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoringSetup } from '../../shared/ai/providers.js';
import { parseConfig } from '../../shared/config.js';
import { SPOKEN_TEXT, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';

let scoring: FakeOpenAi;
let speech: FakeOpenAi;
beforeAll(async () => {
  [scoring, speech] = await Promise.all([startFakeOpenAi(), startFakeOpenAi()]);
});
afterAll(async () => {
  await Promise.all([scoring.close(), speech.close()]);
});

const wav = readFileSync(new URL('../fixtures/audio/spoken.wav', import.meta.url));
const chat = {
  mode: 'text' as const,
  messages: [
    { role: 'AI' as const, content: 'What are you up to this weekend?' },
    { role: 'USER' as const, content: 'Bouldering on Saturday. Ever tried it?' },
  ],
};

describe('createScoringSetup', () => {
  it('scores on one endpoint and transcribes on another', async () => {
    const setup = createScoringSetup(
      parseConfig({
        NODE_ENV: 'test',
        SCORING_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-scoring',
        OPENAI_BASE_URL: scoring.url,
        TRANSCRIPTION_BASE_URL: speech.url,
        TRANSCRIPTION_API_KEY: 'speech-key',
        TRANSCRIPTION_MODEL: 'Systran/faster-whisper-small',
      }),
    );
    await setup.verify();
    expect(setup.info).toEqual({
      scoring: 'openai',
      model: 'gpt-4o-mini',
      rubric: 'rubric-1',
      fallback: 'heuristic',
      transcription: 'openai',
      transcriptionModel: 'Systran/faster-whisper-small',
    });
    const result = await setup.provider.analyze(chat);
    expect(result.provider).toBe('openai');
    const transcript = await setup.transcriber?.transcribe({
      bytes: wav,
      ext: 'wav',
      mimeType: 'audio/wav',
    });
    expect(transcript).toMatchObject({ text: SPOKEN_TEXT, durationSec: 4.1, language: 'english' });
    expect(scoring.of('chat')).toHaveLength(1);
    expect(scoring.of('transcriptions')).toHaveLength(0);
    expect(speech.of('transcriptions')).toHaveLength(1);
    expect(speech.of('transcriptions')[0]?.headers.authorization).toBe('Bearer speech-key');
  });

  it('asks models without verbose_json for plain JSON', async () => {
    speech.reset();
    const setup = createScoringSetup(
      parseConfig({
        NODE_ENV: 'test',
        TRANSCRIPTION_PROVIDER: 'openai',
        TRANSCRIPTION_API_KEY: 'k',
        TRANSCRIPTION_BASE_URL: speech.url,
        TRANSCRIPTION_MODEL: 'gpt-4o-mini-transcribe',
      }),
    );
    expect(setup.info.scoring).toBe('heuristic');
    expect(setup.fallback).toBeNull();
    const transcript = await setup.transcriber?.transcribe({
      bytes: wav,
      ext: 'wav',
      mimeType: 'audio/wav',
    });
    expect(transcript).toMatchObject({ text: SPOKEN_TEXT, durationSec: null, timedWords: null });
    expect(String(speech.of('transcriptions')[0]?.body)).toMatch(
      /name="response_format"\r\n\r\njson\r\n/,
    );
  });

  it('builds no remote client without a key', () => {
    const setup = createScoringSetup(parseConfig({ NODE_ENV: 'test' }));
    expect(setup.transcriber).toBeNull();
    expect(setup.info).toMatchObject({
      scoring: 'heuristic',
      transcription: 'none',
      fallback: 'none',
    });
  });
});
