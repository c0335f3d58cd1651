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
