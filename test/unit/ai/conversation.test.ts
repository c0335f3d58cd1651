import { describe, expect, it } from 'vitest';
import { analyzeHeuristic } from '../../../shared/ai/heuristic/provider.js';
import { reply } from '../../helpers/reply.js';

describe('heuristic provider: reading the conversation', () => {
  it('does not call a specific, friendly opener needy', () => {
    for (const opener of [
      'Hi! I noticed you play the cello, is that a Bach suite in your second photo?',
      'Hey! I saw you just got back from Iceland, did you make it to the glaciers?',
      'Hello! Your profile says you bake bread, what is your go-to loaf?',
    ]) {
      const { m } = reply(null, opener);
      expect(m.flags).not.toContain('needy');
      expect(m.flags).not.toContain('pushy');
      expect(m.microFeedback).not.toMatch(/ease off|pressure|needy/i);
      expect(['good', 'great']).toContain(m.label);
    }
  });

  it('flags neediness and pressure only on evidence, and quotes it', () => {
    const needy = reply('Sorry, long day', "why haven't you texted back? are you mad at me").m;
    expect(needy.flags).toContain('needy');
    expect(needy.microFeedback).toMatch(/why haven't you/);
    const pushy = reply('Maybe another time', 'come on, just say yes, you owe me').m;
    expect(pushy.flags).toContain('pushy');
    expect(pushy.microFeedback).toMatch(/"(come on|just say yes|you owe me)"/);
    const eager = reply(
      'I got the tickets!',
      'Yes!! That is amazing, I cannot wait for Saturday',
    ).m;
    expect(eager.flags).not.toContain('needy');
    expect(eager.flags).not.toContain('pushy');
  });

  it('praises an answer that adds a story, and says what to keep', () => {
    const { m } = reply(
      'What do you do on Sunday mornings?',
      'I cycle to the farmers market and buy far too many peaches. What about you?',
    );
    expect(m.flags).toEqual([]);
    expect(m.microFeedback).toMatch(/answered/i);
    expect(m.microFeedback).not.toMatch(/would lift|try|instead|drop|cut/i);
  });

  it('does not misread a short yes or a question about their news', () => {
    const yes = reply('Want to grab dinner Friday?', 'Yes! 7pm at the Thai place on Oak Street?').m;
    expect(yes.microFeedback).not.toMatch(/asked you something/i);
    const news = reply(
      'I just adopted a puppy!',
      'Congrats! What is her name? I need to see photos.',
    ).m;
    expect(news.flags).not.toContain('off-topic');
    expect(news.microFeedback).not.toMatch(/subject/i);
  });

  it('notices a question left unanswered', () => {
    const { m } = reply('Where did you grow up?', 'What is your favourite season of the year?');
    expect(m.microFeedback).toMatch(/asked you something/i);
  });

  it('scores the same reply higher where it fits the line', () => {
    const text = 'I adopted a grey kitten last spring and she runs the apartment now.';
    const fits = reply('Tell me about your pets!', text).score;
    const misfits = reply('What music do you listen to at work?', text).score;
    expect(fits).toBeGreaterThan(misfits);
  });

  it('prefers building on the line to parroting it or repeating itself', () => {
    const ctx = 'I started running again after a knee injury';
    const builds = reply(ctx, 'Good for you. How is the knee holding up on longer runs?').m;
    const parrot = reply(ctx, 'I started running again after a knee injury too you know.').m;
    const loop = reply(ctx, 'I like running. I like running a lot. I like running.').m;
    expect(parrot.flags).toContain('parroting');
    expect(loop.flags).toContain('repetitive');
    for (const worse of [parrot, loop]) {
      expect(builds.traits.clarity).toBeGreaterThan(worse.traits.clarity);
    }
  });

  it('treats repeating an earlier message of the session as repetition', () => {
    const core = analyzeHeuristic({
      mode: 'text',
      messages: [
        { role: 'AI', content: 'What are you up to?' },
        { role: 'USER', content: 'Reading a thriller on the balcony with iced tea.' },
        { role: 'AI', content: 'And after that?' },
        { role: 'USER', content: 'Reading a thriller on the balcony with iced tea.' },
      ],
    });
    expect(core.messages[0]?.flags).not.toContain('repetitive');
    expect(core.messages[1]?.flags).toContain('repetitive');
  });
});

describe('heuristic provider: other languages', () => {
  it.each([
    ['es', '¡Hola! ¿Qué tal tu fin de semana? Yo fui a la playa con mis amigos.'],
    ['fr', 'Bonjour ! Tu fais quoi ce soir ? Moi je vais au cinéma avec ma sœur.'],
    ['he', 'שלום! מה שלומך? אני אוהב לטייל בהרים בסוף השבוע.'],
    // Short words that pass for English stop words ("a", "me") must not hide the accents.
    ['es', 'Hola! Vi que estás leyendo a Murakami, ¿es Kafka en la orilla?'],
    ['pt', 'Oi! Vi que você está lendo um livro novo, é bom?'],
  ])('detects %s and scores only language-independent signals', (code, text) => {
    const { m } = reply('Hi! How are you?', text);
    expect(m.language).toBe(code);
    expect(m.flags).toContain('non-english');
    expect(m.microFeedback).toMatch(/language-independent/);
    expect(m.fillerCount).toBe(0);
    expect(['neutral', 'good']).toContain(m.label);
  });

  it('marks English as English, short lines included', () => {
    for (const text of [
      'ok',
      'haha same',
      'I am a student',
      'Great pizza tonight!',
      'The café near the station does a great crème brûlée, want to try it Friday?',
    ]) {
      expect(reply('Hi!', text).m.language).toBe('en');
    }
  });
});
