/** A short, decent text conversation (two USER replies to a persona). */
export const GOOD_CHAT = [
  {
    role: 'AI',
    content: 'Hi! I spent Saturday at a pottery workshop, my hands are still covered in clay',
  },
  {
    role: 'USER',
    content: 'Fun! What did you make? I have always wanted to try the wheel',
  },
  { role: 'AI', content: 'A slightly wonky mug. It holds coffee, mostly' },
  {
    role: 'USER',
    content: "A wonky mug has character. Let's test it over coffee on Sunday?",
  },
];

const PLACES = [
  'the corner bakery',
  'Luna cafe',
  'the harbour kiosk',
  'Bean There',
  'the old mill',
  'the park stand',
  'Kettle & Co',
  'the market hall',
  'the rooftop bar',
  'the station cafe',
];
const DAYS = ['Sunday', 'Saturday', 'Friday', 'Thursday', 'Wednesday', 'Tuesday', 'Monday'];

/**
 * GOOD_CHAT with its last USER reply naming a different place and day for each `n` (70 in all):
 * as decent as GOOD_CHAT, but never the same content twice, so the fair-play rule on repeated
 * sessions does not apply to sessions that are meant to differ.
 */
export function goodChat(n: number) {
  const place = PLACES[n % PLACES.length] ?? '';
  const day = DAYS[Math.floor(n / PLACES.length) % DAYS.length] ?? '';
  return [
    ...GOOD_CHAT.slice(0, 3),
    {
      role: 'USER',
      content: `A wonky mug has character. Let's test it over coffee at ${place} on ${day}?`,
    },
  ];
}
